// In section 1, at the registrar's desk: the voter scans the desk's QR code with the camera (or
// types its number), the page signs the challenge with the key and shows the answer as a QR code
// for the desk to scan. Nothing is sent anywhere: the registrar reads it from the screen.
import { scan } from "../lib/camera.js"
import { byId, setVisible } from "../lib/dom.js"
import { asPageError } from "../lib/errors.js"
import { parseChallenge, signChallenge } from "../lib/holder.js"
import { onLanguageChange, t } from "../lib/i18n.js"
import { renderQr } from "../lib/qr.js"
import { onSessionChange, session } from "./session.js"

/** The answer on screen: {code, commitment}, or null. */
let shown = null
let failure = null
let scanning = null

export function setupHolderProof() {
    byId("challenge-form").addEventListener("submit", (event) => {
        event.preventDefault()
        answer(byId("challenge-text").value)
    })
    byId("scan-challenge").addEventListener("click", scanChallenge)
    byId("stop-scan").addEventListener("click", () => scanning?.abort())
    // An answer belongs to one key: forget it when the key changes.
    onSessionChange(() => {
        if (shown !== null && shown.commitment !== session.identity?.commitment) {
            shown = null
            render()
        }
    })
    onLanguageChange(render)
    render()
}

/** Signs the challenge in `text`; true if it was one. */
function answer(text) {
    try {
        shown = signChallenge(session.identity, parseChallenge(text))
        failure = null
    } catch (error) {
        shown = null
        failure = asPageError(error)
    }
    render()
    if (shown !== null) byId("holder-qr").focus()
    return shown !== null
}

async function scanChallenge() {
    scanning?.abort()
    const controller = new AbortController()
    scanning = controller
    failure = null
    shown = null
    setVisible(byId("stop-scan"), true)
    render()
    try {
        // Codes that are not a challenge (the voter's own answer in a mirror, another app's) are
        // skipped: the camera keeps looking until the desk's code is in view.
        await scan(byId("challenge-camera"), (text) => (isChallenge(text) && answer(text) ? true : undefined), controller.signal)
    } catch (error) {
        failure = asPageError(error)
        render()
    } finally {
        if (scanning === controller) scanning = null
        setVisible(byId("stop-scan"), false)
    }
}

function isChallenge(text) {
    try {
        parseChallenge(text)
        return true
    } catch {
        return false
    }
}

function render() {
    setVisible(byId("holder-proof-box"), shown !== null)
    const error = byId("challenge-error")
    setVisible(error, failure !== null)
    if (failure !== null) {
        error.textContent = t(failure.code, failure.params)
        error.dataset.error = failure.code
    }
    if (shown === null) return
    byId("holder-proof").textContent = shown.code
    const qr = byId("holder-qr")
    qr.tabIndex = -1
    qr.dataset.code = shown.code
    renderQr(qr, shown.code, t("holder.qr"))
}
