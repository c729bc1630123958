// In section 1: the voter pastes the registrar's challenge and shows back the signature, as text
// and as a QR code. Nothing is sent anywhere: the registrar reads it from the screen.
import { byId, setVisible } from "../lib/dom.js"
import { asPageError } from "../lib/errors.js"
import { parseChallenge, signChallenge } from "../lib/holder.js"
import { onLanguageChange, t } from "../lib/i18n.js"
import { renderQr } from "../lib/qr.js"
import { onSessionChange, session } from "./session.js"

let shown = null
let failure = null

export function setupHolderProof() {
    byId("challenge-form").addEventListener("submit", (event) => {
        event.preventDefault()
        try {
            shown = signChallenge(session.identity, parseChallenge(byId("challenge-text").value))
            failure = null
        } catch (error) {
            shown = null
            failure = asPageError(error)
        }
        render()
        if (shown !== null) byId("holder-proof").focus()
    })
    // A signature belongs to one key: forget it when the key changes.
    onSessionChange(() => {
        if (shown !== null && !shown.text.includes(`:${session.identity?.publicKey[0]}:`)) {
            shown = null
            render()
        }
    })
    onLanguageChange(render)
    render()
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
    byId("holder-public-key").textContent = shown.publicKey
    byId("holder-signature").textContent = shown.signature
    const line = byId("holder-proof")
    line.textContent = shown.text
    line.tabIndex = -1
    renderQr(byId("holder-qr"), shown.text, t("holder.qr"))
}
