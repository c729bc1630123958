// "Over time": for each district, registered voters during registration and voters who voted
// during voting, as a line chart and, for screen readers and anyone without the chart, a table.
import { districtName } from "../lib/definition.js"
import { el, formatTime } from "../lib/dom.js"
import { language, t } from "../lib/i18n.js"
import { cumulative } from "./stats.js"

const SVG = "http://www.w3.org/2000/svg"
const WIDTH = 400
const HEIGHT = 80

/** Fills `container` with two charts and tables per district. */
export function renderTimeline(container, stats, state, definition) {
    const { calendar, chainTime } = state
    const registrationEnd = Math.min(chainTime, calendar.registrationEnd)
    const votingEnd = Math.min(chainTime, calendar.votingEnd)
    const open = new Set([...container.querySelectorAll("details[open] summary")].map((s) => s.textContent))
    const parts = []
    for (const district of stats.districts) {
        const name = districtName(definition, district.index)
        parts.push(el("h3", name))
        parts.push(chart(t("observe.timelineRegistered", { name }), t("observe.registered"),
            cumulative(district.registrations, calendar.registrationStart, registrationEnd)))
        if (chainTime >= calendar.votingStart) {
            parts.push(chart(t("observe.timelineVoters", { name }), t("observe.voters"),
                cumulative(district.firstBallots, calendar.votingStart, votingEnd)))
        }
    }
    for (const summary of parts.flatMap((part) => [...part.querySelectorAll("summary")])) {
        if (open.has(summary.textContent)) summary.parentElement.open = true
    }
    container.replaceChildren(...parts)
}

function chart(title, column, points) {
    const figure = el("figure")
    const svg = document.createElementNS(SVG, "svg")
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`)
    svg.setAttribute("class", "chart")
    svg.setAttribute("aria-hidden", "true")
    svg.setAttribute("preserveAspectRatio", "none")
    const top = Math.max(1, ...points.map(([, count]) => count))
    const line = document.createElementNS(SVG, "polyline")
    line.setAttribute("points", points.map(([, count], i) =>
        `${((i / (points.length - 1)) * WIDTH).toFixed(1)},${(HEIGHT - 2 - (count / top) * (HEIGHT - 4)).toFixed(1)}`).join(" "))
    svg.append(line)
    const caption = el("figcaption", `${title}: ${points.at(-1)[1]}`)
    const details = el("details")
    details.append(el("summary", title), table(column, points))
    figure.append(caption, svg, details)
    return figure
}

function table(column, points) {
    const head = el("tr")
    head.append(el("th", t("observe.time"), { scope: "col" }), el("th", column, { scope: "col" }))
    const rows = points.map(([at, count]) => {
        const row = el("tr")
        row.append(el("td", formatTime(at, language())), el("td", String(count), { class: "count" }))
        return row
    })
    const body = el("table")
    body.append(head, ...rows)
    return body
}
