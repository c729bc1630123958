// Section 1: create, keep, back up, restore and forget the voter's key; show its public number as
// text and as a QR code. The page warns while the key exists only in this tab with no backup,
// and asks before removing a key.
import { backupFile, keyCode, restoreIdentity, wordsOf } from "../lib/backup.js"
import { scan } from "../lib/camera.js"
import { byId, el, setVisible } from "../lib/dom.js"
import { asPageError } from "../lib/errors.js"
import { language, onLanguageChange, t } from "../lib/i18n.js"
import { backupOf, createIdentity, storeIdentity, storedIdentity } from "../lib/identity.js"
import { renderQr } from "../lib/qr.js"
import { session, sessionChanged } from "./session.js"

/** Whether the voter has taken a backup of this key (shown its words, printed or saved it). */
let backedUp = false
let scanning = null

export function setupIdentity() {
    const keep = byId("keep-identity")
    try {
        session.identity = storedIdentity()
    } catch {
        storeIdentity(null)
    }
    keep.checked = session.identity !== null

    byId("create-identity").addEventListener("click", () => adopt(createIdentity(), false))
    byId("restore-form").addEventListener("submit", async (event) => {
        event.preventDefault()
        try {
            const file = byId("restore-file").files[0]
            const text = file ? await file.text() : byId("restore-text").value
            adopt(restoreIdentity(text), true)
            byId("restore-text").value = ""
            byId("restore-file").value = ""
        } catch (error) {
            showError(error)
        }
    })
    byId("scan-backup").addEventListener("click", scanBackup)
    byId("stop-backup-scan").addEventListener("click", () => scanning?.abort())
    keep.addEventListener("change", () => {
        if (session.identity !== null) storeIdentity(keep.checked ? session.identity : null)
        render()
    })
    byId("toggle-backup").addEventListener("click", toggleBackup)
    byId("download-backup").addEventListener("click", downloadBackup)
    byId("print-backup").addEventListener("click", printBackup)
    byId("forget-identity").addEventListener("click", () => {
        setVisible(byId("forget-confirm"), true)
        byId("forget-no").focus()
    })
    byId("forget-no").addEventListener("click", () => {
        setVisible(byId("forget-confirm"), false)
        byId("forget-identity").focus()
    })
    byId("forget-yes").addEventListener("click", forget)
    onLanguageChange(render)
    onLanguageChange(renderError)
    render()
}

function adopt(identity, restored) {
    session.identity = identity
    backedUp = restored // a restored key has a backup: the one it came from
    if (byId("keep-identity").checked) storeIdentity(identity)
    setVisible(byId("backup-box"), false)
    setVisible(byId("forget-confirm"), false)
    showError(null)
    sessionChanged()
    render()
    byId("commitment").focus()
}

function forget() {
    storeIdentity(null)
    session.identity = null
    session.receipt = null
    backedUp = false
    setVisible(byId("forget-confirm"), false)
    sessionChanged()
    render()
    byId("create-identity").focus()
}

async function scanBackup() {
    scanning?.abort()
    const controller = new AbortController()
    scanning = controller
    setVisible(byId("stop-backup-scan"), true)
    showError(null)
    try {
        const isKey = (text) => (text.toUpperCase().startsWith("VECHE:K1:") ? restoreIdentity(text) : undefined)
        const identity = await scan(byId("backup-camera"), isKey, controller.signal)
        if (identity !== undefined) adopt(identity, true)
    } catch (error) {
        showError(error)
    } finally {
        if (scanning === controller) scanning = null
        setVisible(byId("stop-backup-scan"), false)
    }
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
    const kept = byId("keep-identity").checked
    const storage = byId("identity-storage")
    const state = kept ? "kept" : backedUp ? "tab-backed-up" : "tab-only"
    storage.dataset.state = state
    storage.className = state === "tab-only" ? "error" : ""
    storage.setAttribute("role", state === "tab-only" ? "alert" : "status")
    storage.textContent = t(`identity.storage.${state}`)
    byId("backup-key").value = backupOf(identity)
    byId("backup-words").replaceChildren(...wordsOf(identity, language()).map((word) => el("li", word)))
    renderQr(byId("qr"), commitment, t("identity.qr"))
    const shown = !byId("backup-box").hidden
    byId("toggle-backup").textContent = t(shown ? "identity.backup.hide" : "identity.backup.show")
}

function markBackedUp() {
    backedUp = true
    render()
}

function toggleBackup() {
    const box = byId("backup-box")
    setVisible(box, box.hidden)
    byId("toggle-backup").setAttribute("aria-expanded", String(!box.hidden))
    if (!box.hidden) backedUp = true
    render()
}

function downloadBackup() {
    const blob = new Blob([backupFile(session.identity)], { type: "text/plain" })
    const link = document.createElement("a")
    link.href = URL.createObjectURL(blob)
    link.download = "veche-key-backup.txt"
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 1000)
    markBackedUp()
}

/** Fills the printable sheet (both languages at once, whatever the page's language) and opens
 * the browser's print dialog; the print style sheet shows the sheet alone. */
async function printBackup() {
    const identity = session.identity
    await renderQr(byId("sheet-qr"), keyCode(identity), "QR")
    byId("sheet-qr").dataset.code = keyCode(identity)
    for (const lang of ["ru", "en"]) {
        byId(`sheet-words-${lang}`).replaceChildren(...wordsOf(identity, lang).map((word) => el("li", word)))
    }
    byId("sheet-commitment").textContent = identity.commitment.toString()
    markBackedUp()
    window.print()
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
