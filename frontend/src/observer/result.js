// The published result: the hash the organizer put on chain and, when the page is given the
// result file's URL, that file checked against the hash before any figure from it is shown.
import { keccak256 } from "ethers"
import { el } from "../lib/dom.js"
import { t } from "../lib/i18n.js"

/** Downloads the result file and checks it: {status: "verified"|"mismatch"|"unavailable", ...}. */
export async function loadResult(url, expectedHash) {
    try {
        const response = await fetch(url, { cache: "no-store" })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const bytes = new Uint8Array(await response.arrayBuffer())
        const actual = keccak256(bytes)
        if (actual.toLowerCase() !== expectedHash.toLowerCase()) return { status: "mismatch", actual }
        return { status: "verified", record: JSON.parse(new TextDecoder().decode(bytes)) }
    } catch (error) {
        return { status: "unavailable", detail: String(error?.message ?? error) }
    }
}

/** Renders the hash and, if verified, the tallies and seats the record holds. */
export function renderResult(container, hash, checked) {
    if (hash === null) {
        container.replaceChildren(el("p", t("observe.resultPending"), { "data-result": "pending" }))
        return
    }
    const parts = [el("p", t("observe.resultHash", { hash }), { "data-result": "published" })]
    if (checked?.status === "mismatch") {
        parts.push(el("p", t("observe.resultMismatch", { actual: checked.actual }), { class: "error", role: "alert", "data-result": "mismatch" }))
    } else if (checked?.status === "unavailable") {
        parts.push(el("p", t("observe.resultUnavailable", { detail: checked.detail }), { class: "error" }))
    } else if (checked?.status === "verified") {
        parts.push(el("p", t("observe.resultVerified"), { "data-result": "verified" }))
        parts.push(...recordParts(checked.record))
    }
    container.replaceChildren(...parts)
}

function recordParts(record) {
    const parts = []
    for (const district of Array.isArray(record.districts) ? record.districts : []) {
        parts.push(el("h3", String(district.name ?? district.id ?? "")))
        parts.push(...tallyParts(district, `district-${district.id}`))
    }
    if (record.national && typeof record.national === "object") {
        parts.push(el("h3", t("observe.national")))
        parts.push(...tallyParts(record.national, "national"))
    }
    if (record.parliament !== undefined) {
        parts.push(el("h3", t("observe.parliament")))
        const parliament = record.parliament
        if (parliament && typeof parliament === "object" && !Array.isArray(parliament) &&
            Object.values(parliament).every((value) => typeof value === "number")) {
            parts.push(table([t("observe.list"), t("observe.seats")],
                Object.entries(parliament).map(([label, seats]) => [label, String(seats)]), "parliament"))
        } else {
            parts.push(el("pre", JSON.stringify(parliament, null, 2)))
        }
    }
    return parts
}

/** A votes-and-seats table for one part of the record, and its note (e.g. why seats are vacant). */
function tallyParts(part, name) {
    const seats = part.seats && typeof part.seats === "object" ? part.seats : {}
    const rows = (Array.isArray(part.tally) ? part.tally : []).map((entry) => [
        String(entry.label ?? entry.name ?? ""),
        String(entry.votes ?? ""),
        String(seats[entry.label ?? entry.name] ?? 0),
    ])
    const parts = [table([t("observe.list"), t("observe.votes"), t("observe.seats")], rows, name)]
    if (part.vacant) parts.push(el("p", t("observe.vacant", { count: part.vacant })))
    if (part.note) parts.push(el("p", String(part.note)))
    return parts
}

function table(headers, rows, name) {
    const body = el("table", "", { "data-table": name })
    const head = el("tr")
    for (const header of headers) head.append(el("th", header, { scope: "col" }))
    body.append(head)
    for (const cells of rows) {
        const row = el("tr")
        cells.forEach((cell, i) => row.append(el(i === 0 ? "th" : "td", cell, i === 0 ? { scope: "row" } : { class: "count" })))
        body.append(row)
    }
    return body
}
