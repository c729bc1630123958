// The district table: registered voters, voters who voted, ballots, re-votes and status.
import { districtName } from "../lib/definition.js"
import { el } from "../lib/dom.js"
import { t } from "../lib/i18n.js"
import { barChart } from "./charts.js"

const COLUMNS = ["registered", "voters", "ballots", "revotes"]

/** Voters who voted as a share of the district's register, e.g. "33.3%" ("—" for an empty one). */
function turnout(voters, registered) {
    return registered === 0 ? "—" : `${((100 * voters) / registered).toFixed(1)}%`
}

export function renderDistrictTable(container, tally, definition) {
    const table = el("table", "", { "data-table": "districts" })
    const head = el("tr")
    head.append(el("th", t("observe.district"), { scope: "col" }))
    for (const column of COLUMNS) head.append(el("th", t(`observe.${column}`), { scope: "col" }))
    head.append(el("th", t("observe.turnout"), { scope: "col" }))
    head.append(el("th", t("observe.state"), { scope: "col" }))
    table.append(head)
    const totals = Object.fromEntries(COLUMNS.map((column) => [column, 0]))
    for (const district of tally.districts) {
        district.revotes = district.ballots - district.voters
        const row = el("tr", "", { "data-district": String(district.index) })
        row.append(el("th", districtName(definition, district.index), { scope: "row" }))
        for (const column of COLUMNS) {
            row.append(el("td", String(district[column]), { class: "count", "data-column": column }))
            totals[column] += district[column]
        }
        const share = turnout(district.voters, district.registered)
        row.append(el("td", share, { class: "count", "data-column": "turnout" }))
        row.append(el("td", t(district.excluded ? "observe.excluded" : "observe.counted"), { "data-column": "state" }))
        table.append(row)
    }
    const total = el("tr", "", { "data-district": "total" })
    total.append(el("th", t("observe.total"), { scope: "row" }))
    for (const column of COLUMNS) total.append(el("td", String(totals[column]), { class: "count", "data-column": column }))
    total.append(el("td", turnout(totals.voters, totals.registered), { class: "count", "data-column": "turnout" }))
    total.append(el("td", ""))
    table.append(total)
    container.replaceChildren(table, turnoutChart(tally, definition))
}

/** Turnout per district as bars, in percent of the district's register. */
function turnoutChart(tally, definition) {
    return barChart({
        title: t("observe.turnoutChart"),
        bars: tally.districts.map((d) => ({
            name: districtName(definition, d.index),
            value: d.registered === 0 ? 0 : (100 * d.voters) / d.registered,
        })),
        xLabel: t("observe.district"),
        yLabel: t("observe.turnoutAxis"),
        max: 100,
        format: (value) => `${Number(value).toFixed(0)}%`,
    })
}

export function renderExclusions(list, tally, definition, formatTime) {
    if (tally.exclusions.length === 0) {
        list.replaceChildren(el("li", t("observe.noExclusions")))
        return
    }
    list.replaceChildren(...tally.exclusions.map((change) => {
        const params = {
            time: formatTime(change.time),
            name: districtName(definition, change.district),
            reason: change.reason,
            hash: change.evidenceHash ?? "",
        }
        const key = change.kind === "excluded" ? "observe.exclusion" : "observe.restoration"
        const item = el("li", t(key, params), { "data-kind": change.kind, "data-district": String(change.district) })
        if (change.kind === "excluded") {
            const fold = el("details", "", { class: "expert" })
            fold.append(el("summary", t("details")), el("p", t("observe.exclusion.expert", params)))
            item.append(fold)
        }
        return item
    }))
}
