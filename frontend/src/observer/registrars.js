// Registrations per registrar: a chart of how the busiest registrars' registrations grew over
// the registration window, and a table of every registrar with its quotas and its count, so
// that a registrar who registers far more people, or at odd hours, stands out.
import { districtName } from "../lib/definition.js"
import { el, formatTime, lazyFold } from "../lib/dom.js"
import { language, t } from "../lib/i18n.js"
import { lineChart } from "./charts.js"
import { cumulative, slotEnds } from "./tally.js"
import { shortTime } from "./timeline.js"

/** Registrars drawn as lines (the rest are in the table). */
const DRAWN = 8
/** Up to this many registrars, their table is shown open. */
const SHOWN_OPEN = 30

export function renderRegistrars(container, tally, state, definition) {
    const registrars = Object.values(tally.registrars).sort((a, b) => b.registered - a.registered || a.address.localeCompare(b.address))
    if (registrars.length === 0) {
        container.replaceChildren(el("p", t("observe.noRegistrars")))
        return
    }
    const window = tally.registration
    const ends = slotEnds(window, tally.slots)
    const now = state.chainTime
    const shownSlots = ends.map((_, i) => i).filter((i) => i === 0 || ends[i - 1] < now)
    const drawn = registrars.slice(0, DRAWN)
    const label = (r) => short(r.address)
    const series = drawn.map((r) => {
        const totals = cumulative(r.registeredBySlot)
        return { name: label(r), points: shownSlots.map((i) => [Math.min(ends[i], now), totals[i]]) }
    })
    const chart = lineChart({
        title: t(registrars.length > DRAWN ? "observe.registrarsChartTop" : "observe.registrarsChart", { count: DRAWN }),
        series,
        xLabel: t("observe.axisTime"),
        yLabel: t("observe.registrations"),
        timeFormat: shortTime,
        start: window.start,
        end: window.end,
    })
    const fold = lazyFold(t("observe.figures"), () => {
        const overTime = el("table", "", { "data-table": "registrars-over-time" })
        const head = el("tr")
        head.append(el("th", t("observe.time"), { scope: "col" }), ...drawn.map((r) => el("th", label(r), { scope: "col" })))
        overTime.append(head)
        shownSlots.forEach((slot, row) => {
            const line = el("tr")
            line.append(el("td", formatTime(Math.min(ends[slot], now), language())))
            series.forEach((s) => line.append(el("td", String(s.points[row][1]), { class: "count" })))
            overTime.append(line)
        })
        return [overTime]
    }, { class: "figures" })
    // A long list (a thousand registrars at a million voters) is drawn when someone opens it.
    const table = registrars.length <= SHOWN_OPEN
        ? everyRegistrar(registrars, definition)
        : lazyFold(t("observe.everyRegistrar", { count: registrars.length }), () => [everyRegistrar(registrars, definition)], { "data-fold": "registrars" })
    container.replaceChildren(chart, fold, table)
}

function short(address) {
    return `${address.slice(0, 6)}…${address.slice(-4)}`
}

function everyRegistrar(registrars, definition) {
    const table = el("table", "", { "data-table": "registrars" })
    const head = el("tr")
    for (const key of ["observe.registrar", "observe.quotas", "observe.registrations", "observe.replacementsApproved"]) head.append(el("th", t(key), { scope: "col" }))
    table.append(head)
    for (const r of registrars) {
        const row = el("tr", "", { "data-registrar": r.address })
        const quotas = Object.entries(r.quotas).map(([d, quota]) => `${districtName(definition, Number(d))}: ${quota}`).join("; ")
        row.append(el("th", r.address, { scope: "row", class: "long" }), el("td", quotas || "—"), el("td", String(r.registered), { class: "count", "data-column": "registrations" }),
            el("td", String(r.replacementsApproved), { class: "count", "data-column": "replacements" }))
        table.append(row)
    }
    return table
}
