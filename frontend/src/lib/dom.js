// The few DOM helpers the pages share.

/** The element with this id; a missing one is a bug in the page, so it throws. */
export function byId(id) {
    const element = document.getElementById(id)
    if (!element) throw new Error(`no element #${id}`)
    return element
}

/** Shows or hides an element (the `hidden` attribute, so screen readers skip hidden parts). */
export function setVisible(element, visible) {
    element.hidden = !visible
}

/** A new element with text content (never HTML: labels come from files anyone may edit). */
export function el(tag, text = "", attributes = {}) {
    const element = document.createElement(tag)
    if (text !== "") element.textContent = text
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
    return element
}

/** A <dl> of [term, description] pairs, each description also tagged data-field for tests. */
export function definitionList(rows) {
    const list = el("dl")
    for (const [field, term, value] of rows) {
        list.append(el("dt", term), el("dd", String(value), { "data-field": field }))
    }
    return list
}

/** A date-time from Unix seconds, in the page's language, with the time zone shown. */
export function formatTime(seconds, lang) {
    return new Date(Number(seconds) * 1000).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB", {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZoneName: "short",
    })
}

/**
 * A <details> fold whose content `build()` (an array of nodes) makes only when it is first
 * opened: a page with hundreds of folds draws only what someone looks at.
 */
export function lazyFold(label, build, attributes = {}, open = false) {
    const fold = el("details", "", attributes)
    fold.append(el("summary", label))
    let built = false
    const fill = () => {
        if (built || !fold.open) return
        built = true
        fold.append(...build())
    }
    fold.addEventListener("toggle", fill)
    if (open) {
        fold.open = true
        fill()
    }
    return fold
}
