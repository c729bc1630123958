// The published result: the hash the organizer put on chain and, when the page is given the
// result file's URL, that file checked against the hash before any figure from it is shown.
import { keccak256 } from "ethers"
import { el } from "../lib/dom.js"
import { t } from "../lib/i18n.js"
import { hemicycle } from "./charts.js"

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

/**
 * Downloads a recount record made with `veche recount --audit` (the 2% report is not part of
 * the hashed result: it is shown only if the record is about the published result).
 */
export async function loadAudit(url, expectedHash) {
    try {
        const response = await fetch(url, { cache: "no-store" })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const record = await response.json()
        if (String(record.resultHash).toLowerCase() !== expectedHash.toLowerCase()) return { status: "other-result" }
        if (!record.audit || typeof record.audit !== "object") return { status: "unavailable", detail: "no audit in the file" }
        return { status: "ok", audit: record.audit }
    } catch (error) {
        return { status: "unavailable", detail: String(error?.message ?? error) }
    }
}

/** Renders the hash and, if verified, the tallies and seats the record holds, then the audit. */
export function renderResult(container, hash, checked, audit = null, sealed = null) {
    if (hash === null) {
        const parts = [el("p", t("observe.resultPending"), { "data-result": "pending" })]
        if (sealed !== null) parts.push(...sealedParts(sealed.decryptions))
        container.replaceChildren(...parts)
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
        if (audit !== null) parts.push(...auditParts(audit))
    }
    container.replaceChildren(...parts)
}

/** An encrypted election before its result: no count of choices exists; which trustees have
 * published their decryptions so far (each is checked by the recount, not by this page). */
function sealedParts(decryptions) {
    const parts = [el("p", t("observe.encryptedPending"), { "data-sealed": "true" })]
    const trustees = [...new Set(decryptions.map((d) => d.trustee))].sort((a, b) => a - b)
    if (trustees.length > 0) {
        parts.push(el("p", t("observe.decryptionsPublished", { trustees: trustees.join(", ") }), { "data-decryptions": trustees.join(",") }))
    }
    return parts
}

function recordParts(record) {
    const parts = []
    for (const district of Array.isArray(record.districts) ? record.districts : []) {
        parts.push(el("h3", String(district.name ?? district.id ?? "")))
        parts.push(...countParts(district, `district-${district.id}`))
    }
    if (record.national && typeof record.national === "object") {
        parts.push(el("h3", t("observe.national")))
        parts.push(...countParts(record.national, "national"))
    }
    if (Array.isArray(record.parliament)) {
        parts.push(el("h3", t("observe.parliament")))
        const rows = [...record.parliament]
            .sort((a, b) => Number(b.seats) - Number(a.seats))
            .map((row) => [String(row.list ?? ""), String(row.seats ?? "")])
        parts.push(table([t("observe.list"), t("observe.seats")], rows, "parliament"))
        parts.push(hemicycle({
            title: t("observe.hemicycle"),
            parties: record.parliament.map((row) => ({ name: String(row.list ?? ""), seats: Number(row.seats ?? 0) }))
                .filter((party) => party.seats > 0),
        }))
    }
    const elected = electedRows(record)
    parts.push(el("h3", t("observe.elected")))
    parts.push(elected.length > 0
        ? table([t("observe.member"), t("observe.list"), t("observe.district")], elected, "elected")
        : el("p", t("observe.noneElected")))
    return parts
}

/** [member, list, district or "national list"] for every seat the record fills, in its order. */
function electedRows(record) {
    const rows = []
    const add = (part, where) => {
        for (const row of Array.isArray(part?.lists) ? part.lists : []) {
            for (const name of Array.isArray(row.elected) ? row.elected : []) rows.push([String(name), String(row.name ?? ""), where])
        }
    }
    for (const district of Array.isArray(record.districts) ? record.districts : []) add(district, String(district.name ?? district.id ?? ""))
    if (record.national && typeof record.national === "object") add(record.national, t("observe.national"))
    return rows
}

/** A votes-and-seats table for one part of the record, then its vacancy and ties as sentences
 * rendered here from the record's codes (the record itself holds no sentence). */
function countParts(part, name) {
    const rows = (Array.isArray(part.lists) ? part.lists : []).map((row) => [
        String(row.name ?? ""),
        String(row.votes ?? ""),
        String(row.seats ?? 0),
    ])
    const parts = [table([t("observe.list"), t("observe.votes"), t("observe.seats")], rows, name)]
    if (part.vacantSeats) {
        const reason = t(`observe.vacancy.${part.vacancy}`)
        parts.push(el("p", t("observe.vacant", { count: part.vacantSeats, reason }), { "data-vacancy": String(part.vacancy) }))
    }
    for (const tie of Array.isArray(part.ties) ? part.ties : []) {
        parts.push(el("p", tieSentence(tie), { "data-tie": String(tie.seat) }))
    }
    return parts
}

/** "Seat 3 went to ... by the tie-break rule (more votes) over ..., all at 3/2". */
export function tieSentence(tie) {
    const value = tie.value ?? {}
    const exact = Number(value.denominator) === 1 ? String(value.numerator) : `${value.numerator}/${value.denominator}`
    return t("observe.tie", {
        seat: tie.seat,
        winner: tie.winner,
        losers: (Array.isArray(tie.losers) ? tie.losers : []).map((name) => `“${name}”`).join(", "),
        decidedBy: t(`observe.decidedBy.${tie.decidedBy}`),
        value: exact,
    })
}

const AUDIT_ITEMS = [
    "registrationsAboveQuota",
    "registrationsBySuspendedRegistrars",
    "replacedCommitments",
    "dedupCollisionEstimate",
    "duplicatesRefusedAsReported",
    "excludedBallots",
    "relayerRefusalsAsReported",
    "invalidRecords",
]

/** The 2% report: each distortion, the total against 2% of turnout, margins, and blind spots. */
function auditParts(loaded) {
    const parts = [el("h3", t("observe.audit"))]
    if (loaded.status !== "ok") {
        parts.push(el("p", t(`observe.audit.${loaded.status}`, { detail: loaded.detail ?? "" }), { "data-audit": loaded.status }))
        return parts
    }
    const audit = loaded.audit
    parts.push(el("p", t("observe.audit.source")))
    const perDistrict = Array.isArray(audit.districts) ? audit.districts : []
    const rows = AUDIT_ITEMS.map((key) => {
        const value = key === "registrationsBySuspendedRegistrars"
            ? perDistrict.reduce((sum, d) => sum + Number(d.registrationsBySuspendedRegistrars ?? 0), 0)
            : audit.items?.[key]
        return [t(`observe.audit.${key}`), String(value ?? "")]
    })
    parts.push(table([t("observe.audit.item"), t("observe.audit.count")], rows, "audit"))
    const share = audit.turnout ? ((100 * audit.total) / audit.turnout).toFixed(2) : "—"
    parts.push(el("p", t(audit.withinLimit ? "observe.audit.within" : "observe.audit.above", {
        total: audit.total, turnout: audit.turnout, share, limit: audit.limitPercent,
    }), { "data-audit": audit.withinLimit ? "within" : "above" }))
    const margins = perDistrict.map((d) => [
        String(d.id),
        d.margin ? String(d.margin.ballots) : "—",
        d.margin ? t("observe.audit.move", { from: d.margin.from, to: d.margin.to }) : t("observe.audit.noMargin"),
    ])
    parts.push(table([t("observe.district"), t("observe.audit.margin"), t("observe.audit.how")], margins, "margins"))
    const unseen = el("ul", "", { "data-audit": "unseen" })
    for (const code of Array.isArray(audit.unseen) ? audit.unseen : []) unseen.append(el("li", t(`observe.audit.unseen.${code}`)))
    parts.push(el("p", t("observe.audit.cannotSee")), unseen)
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
