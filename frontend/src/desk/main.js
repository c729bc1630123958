// The registrar's desk page: shows a fresh challenge as a QR code, reads the voter's answer with
// the camera, checks it here (the signature, and that it answers this desk's challenge) and
// hands the registrar the line for `veche registrar add`. It needs no chain and no server: it
// works on a laptop at a consulate with the network down. Nothing is stored.
import { scan } from "../lib/camera.js"
import { byId, setVisible } from "../lib/dom.js"
import { asPageError, PageError } from "../lib/errors.js"
import { ANSWER_PREFIX, challengeCode, issuedAt, newChallenge, readAnswer } from "../lib/holder.js"
import { onLanguageChange, setupLanguageSwitch, t } from "../lib/i18n.js"
import { renderQr } from "../lib/qr.js"

/** As `veche registrar add`: an answer to a challenge older than this is refused. */
const MAX_AGE_SECONDS = 30 * 60

let challenge = null
let answer = null
let failure = null
let scanning = null

function nextVoter() {
    scanning?.abort()
    challenge = newChallenge()
    answer = null
    failure = null
    render()
}

async function scanAnswer() {
    scanning?.abort()
    const controller = new AbortController()
    scanning = controller
    failure = null
    answer = null
    setVisible(byId("stop-scan"), true)
    render()
    try {
        answer = await scan(byId("answer-camera"), acceptAnswer, controller.signal) ?? null
    } catch (error) {
        failure = asPageError(error)
    } finally {
        if (scanning === controller) scanning = null
        setVisible(byId("stop-scan"), false)
    }
    render()
    if (answer !== null) byId("answer-ok").focus()
}

/** The checked answer in `text`, or undefined to keep scanning (the desk's own code seen
 * through the camera). A damaged or foreign answer stops the scan with the reason. */
function acceptAnswer(text) {
    if (!text.toUpperCase().startsWith(ANSWER_PREFIX)) return undefined
    if (Date.now() / 1000 - issuedAt(challenge) > MAX_AGE_SECONDS) throw new PageError("error.staleChallenge")
    return readAnswer(text, challenge)
}

function render() {
    const code = challengeCode(challenge)
    const qr = byId("challenge-qr")
    qr.dataset.code = code
    renderQr(qr, code, t("desk.challenge.qr"))
    byId("challenge-number").textContent = challenge.toString()
    renderAge()
    const error = byId("answer-error")
    setVisible(error, failure !== null)
    if (failure !== null) {
        error.textContent = t(failure.code, failure.params)
        error.dataset.error = failure.code
    }
    setVisible(byId("answer-box"), answer !== null)
    if (answer === null) return
    byId("answer-ok").tabIndex = -1
    byId("answer-command").textContent = `--holder-proof ${answer.code}`
    byId("answer-commitment").textContent = answer.commitment.toString()
    byId("answer-box").dataset.commitment = answer.commitment.toString()
}

function renderAge() {
    const minutes = Math.floor((Date.now() / 1000 - issuedAt(challenge)) / 60)
    byId("challenge-age").textContent = t("desk.challenge.age", { minutes, limit: MAX_AGE_SECONDS / 60 })
}

async function copyAnswer() {
    await navigator.clipboard.writeText(byId("answer-command").textContent)
    byId("copy-answer").textContent = t("desk.copied")
}

setupLanguageSwitch()
byId("next-voter").addEventListener("click", nextVoter)
byId("scan-answer").addEventListener("click", scanAnswer)
byId("stop-scan").addEventListener("click", () => scanning?.abort())
byId("copy-answer").addEventListener("click", () => copyAnswer().catch(() => {}))
onLanguageChange(render)
setInterval(renderAge, 30_000)
nextVoter()
document.body.dataset.ready = "true"
