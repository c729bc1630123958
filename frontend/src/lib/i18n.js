// A small translation table: elements carry data-i18n="key" (text) or
// data-i18n-attr="attribute:key" (an attribute); code asks t(key, params). The language is
// Russian when the browser prefers Russian, English otherwise, and can be switched at any time.
// The choice is not stored: the page leaves no trace in the browser unless the voter asks.
import { STRINGS } from "./strings.js"

export const LANGUAGES = ["ru", "en"]
let current = preferredLanguage(navigator.languages ?? [navigator.language])
const listeners = []

/** The first of the browser's preferred languages that the page speaks, else English. */
export function preferredLanguage(preferences) {
    for (const tag of preferences) {
        const base = String(tag).toLowerCase().split("-")[0]
        if (LANGUAGES.includes(base)) return base
    }
    return "en"
}

export function language() {
    return current
}

/** The message `key` in the current language, with {placeholders} filled from `params`. */
export function t(key, params = {}) {
    const text = STRINGS[current][key] ?? STRINGS.en[key]
    if (text === undefined) return key
    return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? `{${name}}`))
}

/** Translates every marked element under `root`. */
export function translate(root = document) {
    document.documentElement.lang = current
    for (const element of root.querySelectorAll("[data-i18n]")) {
        element.textContent = t(element.dataset.i18n)
    }
    for (const element of root.querySelectorAll("[data-i18n-attr]")) {
        const [attribute, key] = element.dataset.i18nAttr.split(":")
        element.setAttribute(attribute, t(key))
    }
}

/** Switches language, re-translates the page and tells listeners (which redraw dynamic parts). */
export function setLanguage(lang) {
    if (!LANGUAGES.includes(lang)) return
    current = lang
    translate()
    for (const listener of listeners) listener(lang)
}

export function onLanguageChange(listener) {
    listeners.push(listener)
}

/** Wires the language buttons (elements with data-lang) and marks the active one. */
export function setupLanguageSwitch() {
    const buttons = document.querySelectorAll("[data-lang]")
    const mark = () => {
        for (const button of buttons) {
            button.setAttribute("aria-pressed", String(button.dataset.lang === current))
        }
    }
    for (const button of buttons) {
        button.addEventListener("click", () => setLanguage(button.dataset.lang))
    }
    onLanguageChange(mark)
    mark()
    translate()
}
