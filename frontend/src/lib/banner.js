// The page-wide alert for failures that stop everything (bad config, unreadable chain, a
// definition that does not match the chain): shown in words, in the current language.
import { asPageError } from "./errors.js"
import { onLanguageChange, t } from "./i18n.js"
import { byId } from "./dom.js"

let shown = null

/** Shows `error` in the #banner alert (role="alert", so screen readers announce it). */
export function showFatal(error) {
    shown = asPageError(error)
    render()
}

function render() {
    if (shown === null) return
    const banner = byId("banner")
    banner.replaceChildren()
    const heading = document.createElement("strong")
    heading.textContent = t("error.heading")
    const text = document.createElement("p")
    text.textContent = t(shown.code, shown.params)
    text.dataset.error = shown.code
    banner.append(heading, text)
    banner.hidden = false
}

onLanguageChange(render)
