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
