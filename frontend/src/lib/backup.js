// The voter key's backup, in forms a person can keep: 24 words (in Russian or in English: the
// same key, either list restores it), a QR code, and the short text of the key. Words follow
// BIP39 (@scure/bip39: 11 bits a word, the last word carries a checksum, so a mistyped word is
// caught, not silently turned into another key). English uses BIP39's own list; Russian uses
// words/ru.json (scripts/wordlist_ru.py says how it was chosen). In both lists the first four
// letters of a word are enough.
import { entropyToMnemonic, mnemonicToEntropy } from "@scure/bip39"
import { wordlist as english } from "@scure/bip39/wordlists/english.js"
import { Identity } from "@semaphore-protocol/identity"
import { PageError } from "./errors.js"
import russian from "./words/ru.json"

export const WORDLISTS = { ru: russian, en: english }

/** The backup QR code's text: this prefix, then the key in base64. */
export const KEY_CODE_PREFIX = "VECHE:K1:"

const KEY_BYTES = 32
const PREFIX = 4

function keyBytes(identity) {
    return Uint8Array.from(atob(identity.export()), (c) => c.charCodeAt(0))
}

/** The key as 24 words of `lang`'s list. */
export function wordsOf(identity, lang) {
    return entropyToMnemonic(keyBytes(identity), WORDLISTS[lang]).split(" ")
}

/** The text of the backup QR code. */
export function keyCode(identity) {
    return `${KEY_CODE_PREFIX}${identity.export()}`
}

/** The backup file: the QR code's text on the first line, then the words in both languages. */
export function backupFile(identity) {
    const lines = [keyCode(identity), "", `ru: ${wordsOf(identity, "ru").join(" ")}`, `en: ${wordsOf(identity, "en").join(" ")}`]
    return `${lines.join("\n")}\n`
}

/** Whether `text` looks like the backup's words (rather than the key's text or QR code). */
function looksLikeWords(text) {
    return text.trim().split(/[\s,.;]+/).filter(Boolean).length > 3
}

/**
 * The identity a backup stands for: its words (either language, numbers and punctuation
 * ignored, a word's first four letters enough), its QR code, or the key's text.
 */
export function restoreIdentity(backup) {
    const text = backup.trim()
    const coded = text.match(/VECHE:K1:([A-Za-z0-9+/=]+)/i)
    if (coded !== null) return restoreIdentity(coded[1])
    if (looksLikeWords(text)) return fromWords(text)
    const base64 = text
    let bytes
    try {
        bytes = atob(base64)
    } catch {
        throw new PageError("error.badBackup")
    }
    if (bytes.length !== KEY_BYTES) throw new PageError("error.badBackup")
    return Identity.import(base64)
}

function fromWords(text) {
    const typed = text
        .toLowerCase()
        .replaceAll("ё", "е")
        .split(/[^a-zа-я]+/u)
        .filter(Boolean)
    const lang = /[а-я]/.test(typed[0]) ? "ru" : "en"
    const list = WORDLISTS[lang]
    const words = typed.map((word, index) => {
        const found = list.find((candidate) => candidate === word) ??
            (word.length >= PREFIX ? list.find((candidate) => candidate.startsWith(word.slice(0, PREFIX))) : undefined)
        if (found === undefined) throw new PageError("error.badWord", { number: index + 1, word })
        return found
    })
    if (words.length !== 24) throw new PageError("error.wordCount", { count: words.length })
    let entropy
    try {
        entropy = mnemonicToEntropy(words.join(" "), list)
    } catch {
        throw new PageError("error.badWords")
    }
    let binary = ""
    for (const byte of entropy) binary += String.fromCharCode(byte)
    return Identity.import(btoa(binary))
}
