// Plain Russian and English on the pages: no word of the avoid list (tests/js/avoid-words.json)
// in any message outside the experts' details, and no English in the Russian messages.
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, test } from "node:test"
import { STRINGS } from "../../frontend/src/lib/strings.js"

const AVOID = JSON.parse(readFileSync(new URL("./avoid-words.json", import.meta.url)))
const plain = (text) => text.replace(/\{\w+\}/g, " ")
const forVoters = (lang) => Object.entries(STRINGS[lang]).filter(([key]) => !key.endsWith(".expert"))

describe("the pages' words", () => {
    for (const lang of ["ru", "en"]) {
        test(`no ${lang} message uses a word from the avoid list`, () => {
            const found = []
            for (const [key, text] of forVoters(lang)) {
                for (const word of AVOID[lang]) {
                    const start = new RegExp(`(^|[^\\p{L}])${word}`, "iu")
                    if (start.test(plain(text))) found.push(`${key}: ${word}`)
                }
            }
            assert.deepEqual(found, [])
        })
    }

    test("the Russian messages have no English in them", () => {
        const allowed = new RegExp(`\\b(${AVOID.latinAllowedInRussian.join("|")})\\b`, "g")
        const found = Object.entries(STRINGS.ru)
            .filter(([key]) => !key.endsWith(".expert"))
            .filter(([, text]) => /[a-z]/i.test(plain(text).replace(allowed, "")))
            .map(([key]) => key)
        assert.deepEqual(found, [])
    })

    test("both languages have the same messages", () => {
        assert.deepEqual(Object.keys(STRINGS.ru).sort(), Object.keys(STRINGS.en).sort())
    })

    test("the check sees a word of the list (it can fail)", () => {
        const start = new RegExp(`(^|[^\\p{L}])${AVOID.ru[2]}`, "iu")
        assert.ok(start.test("Ваш нуллификатор: 5"))
    })
})
