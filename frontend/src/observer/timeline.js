// "Over time": registered voters during registration and voters who voted during voting, for
// the whole election and for each district (in a fold), as charts with axes and as tables.
import { districtName } from "../lib/definition.js"
import { el, formatTime, lazyFold } from "../lib/dom.js"
import { language, t } from "../lib/i18n.js"
import { lineChart } from "./charts.js"
import { cumulative, slotEnds } from "./tally.js"

/** Fills `container` with the election's two charts, then one fold per district. */
export function renderTimeline(container, tally, state, definition) {
    const open = new Set([...container.querySelectorAll("details[open]")].map((d) => d.dataset.fold))
    const sum = (key) => tally.districts.reduce((total, d) => total.map((v, i) => v + d[key][i]), new Array(tally.slots).fill(0))
    const parts = [...windowCharts(tally, state, null, sum("registeredBySlot"), sum("votersBySlot"), "all")]
    for (const district of tally.districts) {
        const name = districtName(definition, district.index)
        const key = `district-${district.index}`
        parts.push(lazyFold(name, () => windowCharts(tally, state, name, district.registeredBySlot, district.votersBySlot, key),
            { "data-fold": key }, open.has(key)))
    }
    container.replaceChildren(...parts)
}

/** The charts of one district (`name`), or of the whole election (`name` null). */
function windowCharts(tally, state, name, registered, voters, key) {
    const title = (what) => (name === null ? t(`observe.${what}All`) : t(`observe.${what}`, { name }))
    const parts = [series(tally.registration, tally.slots, state.chainTime, registered, title("timelineRegistered"), t("observe.registered"), `registered-${key}`)]
    if (state.chainTime >= tally.voting.start) {
        parts.push(series(tally.voting, tally.slots, state.chainTime, voters, title("timelineVoters"), t("observe.voters"), `voters-${key}`))
    }
    return parts
}

/** A cumulative chart of one window's slots up to now, and its table. */
export function series(window, slots, now, counts, title, column, tableName) {
    const ends = slotEnds(window, slots)
    const totals = cumulative(counts)
    // Slots that have not begun yet are not drawn: the line stops at the ledger's clock.
    const shown = ends.map((at, i) => [Math.min(at, now), totals[i]]).filter((_, i) => i === 0 || ends[i - 1] < now)
    const time = (seconds) => formatTime(seconds, language())
    const wrap = el("div", "", { class: "series-block" })
    wrap.append(lineChart({
        title: `${title}: ${totals.at(-1)}`,
        series: [{ name: column, points: shown }],
        xLabel: t("observe.axisTime"),
        yLabel: column,
        timeFormat: shortTime,
        start: window.start,
        end: window.end,
    }))
    wrap.append(lazyFold(t("observe.figures"), () => {
        const table = el("table", "", { "data-table": tableName })
        const head = el("tr")
        head.append(el("th", t("observe.time"), { scope: "col" }), el("th", column, { scope: "col" }))
        table.append(head)
        for (const [at, count] of shown) {
            const row = el("tr")
            row.append(el("td", time(at)), el("td", String(count), { class: "count" }))
            table.append(row)
        }
        return [table]
    }, { class: "figures" }))
    return wrap
}

/** A short date for an axis tick ("21 Jan 14:00"), in the page's language and in UTC. */
export function shortTime(seconds) {
    return new Date(seconds * 1000).toLocaleString(language() === "ru" ? "ru-RU" : "en-GB", {
        day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
    })
}
