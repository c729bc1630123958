// Section 1: create, keep, back up, restore and forget the voter's key; show its commitment as
// text and as a QR code for the registrar.
import { byId, setVisible } from "../lib/dom.js"
import { asPageError } from "../lib/errors.js"
import { onLanguageChange, t } from "../lib/i18n.js"
import {
    backupOf,
    createIdentity,
    restoreIdentity,
    storeIdentity,
    storedIdentity,
} from "../lib/identity.js"
import { renderQr } from "../lib/qr.js"
import { session, sessionChanged } from "./session.js"

export function setupIdentity() {
    const keep = byId("keep-identity")
    try {
        session.identity = storedIdentity()
    } catch {
        storeIdentity(null)
    }
    keep.checked = session.identity !== null

    byId("create-identity").addEventListener("click", () => adopt(createIdentity()))
    byId("restore-form").addEventListener("submit", async (event) => {
        event.preventDefault()
        try {
            const file = byId("restore-file").files[0]
            const text = file ? await file.text() : byId("restore-text").value
            adopt(restoreIdentity(text))
            byId("restore-text").value = ""
            byId("restore-file").value = ""
        } catch (error) {
            showError(error)
        }
    })
    keep.addEventListener("change", () => {
        if (session.identity !== null) storeIdentity(keep.checked ? session.identity : null)
        render()
    })
    byId("toggle-backup").addEventListener("click", toggleBackup)
    byId("download-backup").addEventListener("click", downloadBackup)
    byId("forget-identity").addEventListener("click", () => {
        storeIdentity(null)
        session.identity = null
        session.receipt = null
        sessionChanged()
        render()
        byId("create-identity").focus()
    })
    onLanguageChange(render)
    onLanguageChange(renderError)
    render()
}

function adopt(identity) {
    session.identity = identity
    if (byId("keep-identity").checked) storeIdentity(identity)
    showError(null)
    sessionChanged()
    render()
    byId("commitment").focus()
}

function render() {
    const identity = session.identity
    setVisible(byId("identity-none"), identity === null)
    setVisible(byId("identity-present"), identity !== null)
    if (identity === null) return
    const commitment = identity.commitment.toString()
    const code = byId("commitment")
    code.textContent = commitment
    code.tabIndex = -1
    byId("identity-storage").textContent = t(
        byId("keep-identity").checked ? "identity.kept" : "identity.memoryOnly",
    )
    byId("backup-key").value = backupOf(identity)
    renderQr(byId("qr"), commitment, t("identity.qr"))
    const shown = !byId("backup-box").hidden
    byId("toggle-backup").textContent = t(shown ? "identity.backup.hide" : "identity.backup.show")
}

function toggleBackup() {
    const box = byId("backup-box")
    setVisible(box, box.hidden)
    byId("toggle-backup").setAttribute("aria-expanded", String(!box.hidden))
    render()
    if (!box.hidden) byId("backup-key").select()
}

function downloadBackup() {
    const blob = new Blob([`${backupOf(session.identity)}\n`], { type: "text/plain" })
    const link = document.createElement("a")
    link.href = URL.createObjectURL(blob)
    link.download = "veche-key-backup.txt"
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 1000)
}

let lastError = null

function showError(error) {
    lastError = error === null ? null : asPageError(error)
    renderError()
}

function renderError() {
    const box = byId("identity-error")
    const failure = lastError
    if (failure === null) return setVisible(box, false)
    box.textContent = t(failure.code, failure.params)
    box.dataset.error = failure.code
    setVisible(box, true)
}
