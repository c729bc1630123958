// The observers' charts, drawn with d3 (scales, axes, lines) as SVG: every chart has a labelled
// time or category axis and a labelled count axis, a title, and, for screen readers and anyone
// who wants the figures, a table beside it (which the page also offers as CSV and JSON).
import { axisBottom, axisLeft } from "d3-axis"
import { scaleBand, scaleLinear, scaleTime } from "d3-scale"
import { select } from "d3-selection"
import { line } from "d3-shape"
import { el } from "../lib/dom.js"

const SVG = "http://www.w3.org/2000/svg"
/** Drawn at the screen's width (up to 640 px), so that its text stays readable on a phone. */
let WIDTH = 640
const HEIGHT = 260
const MARGIN = { top: 12, right: 40, bottom: 52, left: 64 }
/** Colours told apart by most people with a colour vision deficiency (Okabe and Ito). */
export const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]

function frame(title) {
    WIDTH = Math.max(300, Math.min(640, (document.documentElement.clientWidth || 640) - 32))
    const svg = document.createElementNS(SVG, "svg")
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`)
    svg.setAttribute("class", "chart")
    svg.setAttribute("role", "img")
    svg.setAttribute("aria-label", title)
    return svg
}

function axisLabel(root, text, kind) {
    const x = kind === "x" ? MARGIN.left + (WIDTH - MARGIN.left - MARGIN.right) / 2 : 14
    const y = kind === "x" ? HEIGHT - 6 : MARGIN.top + (HEIGHT - MARGIN.top - MARGIN.bottom) / 2
    root.append("text")
        .attr("class", `axis-label axis-label-${kind}`)
        .attr("text-anchor", "middle")
        .attr("transform", kind === "x" ? `translate(${x},${y})` : `translate(${x},${y}) rotate(-90)`)
        .text(text)
}

function countAxis(root, scale, label) {
    const ticks = Math.min(5, Math.max(1, Math.round(scale.domain()[1])))
    root.append("g")
        .attr("class", "axis axis-y")
        .attr("transform", `translate(${MARGIN.left},0)`)
        .call(axisLeft(scale).ticks(ticks).tickFormat((value) => compact(value)))
    axisLabel(root, label, "y")
}

/** 1234567 → "1.2M"-style labels in the page's language, so long counts fit the axis. */
function compact(value) {
    return new Intl.NumberFormat(document.documentElement.lang || "en", { notation: "compact", maximumFractionDigits: 1 }).format(value)
}

/**
 * Lines of counts over time. `series`: [{name, points: [[unixSeconds, count], ...]}]; one
 * colour each, named in a legend when there is more than one.
 */
export function lineChart({ title, series, xLabel, yLabel, timeFormat, start, end }) {
    const figure = el("figure", "", { class: "chart-figure" })
    const svg = frame(title)
    const root = select(svg)
    const top = Math.max(1, ...series.flatMap((s) => s.points.map(([, count]) => count)))
    const x = scaleTime().domain([new Date(start * 1000), new Date(Math.max(end, start + 1) * 1000)])
        .range([MARGIN.left, WIDTH - MARGIN.right])
    const y = scaleLinear().domain([0, top]).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top])
    root.append("g")
        .attr("class", "axis axis-x")
        .attr("transform", `translate(0,${HEIGHT - MARGIN.bottom})`)
        .call(axisBottom(x).ticks(WIDTH < 450 ? 3 : 5).tickFormat((date) => timeFormat(date.getTime() / 1000)))
    axisLabel(root, xLabel, "x")
    countAxis(root, y, yLabel)
    const path = line().x(([at]) => x(new Date(at * 1000))).y(([, count]) => y(count))
    series.forEach((s, i) => {
        root.append("path")
            .attr("class", "series")
            .attr("fill", "none")
            .attr("stroke", PALETTE[i % PALETTE.length])
            .attr("stroke-width", 2)
            .attr("d", path([[start, 0], ...s.points]))
    })
    figure.append(el("figcaption", title), svg)
    if (series.length > 1) figure.append(legend(series.map((s) => s.name)))
    return figure
}

/** One bar per category: `bars` [{name, value}], values between 0 and `max`. */
export function barChart({ title, bars, xLabel, yLabel, max, format }) {
    const figure = el("figure", "", { class: "chart-figure" })
    const svg = frame(title)
    const root = select(svg)
    const x = scaleBand().domain(bars.map((_, i) => String(i))).range([MARGIN.left, WIDTH - MARGIN.right]).padding(0.2)
    const y = scaleLinear().domain([0, max]).range([HEIGHT - MARGIN.bottom, MARGIN.top])
    // Category names go under the bars while they fit, else only their numbers (the table names them).
    const named = bars.length <= 12
    root.append("g")
        .attr("class", "axis axis-x")
        .attr("transform", `translate(0,${HEIGHT - MARGIN.bottom})`)
        .call(axisBottom(x).tickFormat((i) => (named ? shorten(bars[Number(i)].name) : String(Number(i) + 1)))
            .tickValues(named ? x.domain() : x.domain().filter((i) => Number(i) % Math.ceil(bars.length / 12) === 0)))
    axisLabel(root, xLabel, "x")
    root.append("g")
        .attr("class", "axis axis-y")
        .attr("transform", `translate(${MARGIN.left},0)`)
        .call(axisLeft(y).ticks(5).tickFormat(format))
    axisLabel(root, yLabel, "y")
    bars.forEach((bar, i) => {
        root.append("rect")
            .attr("class", "bar")
            .attr("x", x(String(i)))
            .attr("width", x.bandwidth())
            .attr("y", y(Math.min(max, bar.value)))
            .attr("height", y(0) - y(Math.min(max, bar.value)))
            .attr("fill", PALETTE[0])
            .append("title").text(`${bar.name}: ${format(bar.value)}`)
    })
    figure.append(el("figcaption", title), svg)
    return figure
}

function shorten(name) {
    return name.length > 12 ? `${name.slice(0, 11)}…` : name
}

function legend(names, counts = null) {
    const list = el("ul", "", { class: "legend" })
    names.forEach((name, i) => {
        const item = el("li")
        const swatch = el("span", "", { class: "swatch", "aria-hidden": "true" })
        swatch.style.background = PALETTE[i % PALETTE.length]
        item.append(swatch, counts === null ? name : `${name}: ${counts[i]}`)
        list.append(item)
    })
    return list
}

/**
 * The seats of a parliament as dots on concentric half rings, filled list by list from the
 * left; `parties` [{name, seats}] in the order they sit.
 */
export function hemicycle({ title, parties }) {
    const figure = el("figure", "", { class: "chart-figure hemicycle" })
    const total = parties.reduce((sum, party) => sum + party.seats, 0)
    const svg = frame(title)
    svg.setAttribute("viewBox", "0 0 400 215")
    svg.setAttribute("class", "chart hemicycle")
    const seats = seatPositions(total)
    let next = 0
    parties.forEach((party, i) => {
        for (let s = 0; s < party.seats; s += 1, next += 1) {
            const [cx, cy, r] = seats[next]
            const dot = document.createElementNS(SVG, "circle")
            dot.setAttribute("cx", cx.toFixed(1))
            dot.setAttribute("cy", cy.toFixed(1))
            dot.setAttribute("r", r.toFixed(1))
            dot.setAttribute("fill", PALETTE[i % PALETTE.length])
            dot.setAttribute("data-list", party.name)
            svg.append(dot)
        }
    })
    const label = document.createElementNS(SVG, "text")
    label.setAttribute("x", "200")
    label.setAttribute("y", "205")
    label.setAttribute("text-anchor", "middle")
    label.setAttribute("class", "hemicycle-total")
    label.textContent = String(total)
    svg.append(label)
    figure.append(el("figcaption", title), svg, legend(parties.map((p) => p.name), parties.map((p) => p.seats)))
    return figure
}

/** [cx, cy, r] of `total` seats on rows of half rings, ordered from left to right by angle. */
export function seatPositions(total) {
    if (total === 0) return []
    const rows = Math.max(1, Math.ceil(Math.sqrt(total / 4)))
    const [inner, outer, cx, cy] = [70, 190, 200, 195]
    const radii = Array.from({ length: rows }, (_, i) => (rows === 1 ? outer : inner + ((outer - inner) * i) / (rows - 1)))
    const length = radii.reduce((sum, r) => sum + r, 0)
    // Seats per row in proportion to the row's length; rounding leftovers go to the outer rows.
    const perRow = radii.map((r) => Math.floor((total * r) / length))
    for (let i = rows - 1, left = total - perRow.reduce((a, b) => a + b, 0); left > 0; i = (i - 1 + rows) % rows, left -= 1) perRow[i] += 1
    const dot = Math.min(rows === 1 ? 18 : 12, (outer - inner) / Math.max(1, rows - 1) / 2.4 || 12, (Math.PI * outer) / Math.max(1, ...perRow) / 2.4)
    const seats = []
    radii.forEach((r, row) => {
        const n = perRow[row]
        for (let k = 0; k < n; k += 1) {
            const angle = Math.PI - (n === 1 ? Math.PI / 2 : (Math.PI * k) / (n - 1))
            seats.push([cx + r * Math.cos(angle), cy - r * Math.sin(angle), dot, angle])
        }
    })
    return seats.sort((a, b) => b[3] - a[3]).map(([x, y, r]) => [x, y, r])
}
