// Every table on the observers' page can be downloaded as CSV or JSON, so that anyone can check
// or chart the figures with their own tools. The files are made here from the table on screen.
import { el } from "./dom.js"
import { t } from "./i18n.js"

/** The table's rows as arrays of cell texts (header row first). */
export function tableRows(table) {
    return [...table.querySelectorAll("tr")].map((row) => [...row.children].map((cell) => cell.textContent.trim()))
}

function csv(rows) {
    const quote = (value) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
    return rows.map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n"
}

function json(rows) {
    const [head, ...body] = rows
    return `${JSON.stringify(body.map((row) => Object.fromEntries(head.map((name, i) => [name, row[i] ?? ""]))), null, 2)}\n`
}

function link(table, kind) {
    const name = table.dataset.table ?? "table"
    const anchor = el("a", t(`download.${kind}`), { href: "#", download: `${name}.${kind}`, "data-download": kind })
    anchor.addEventListener("click", () => {
        const rows = tableRows(table)
        const type = kind === "csv" ? "text/csv" : "application/json"
        anchor.href = URL.createObjectURL(new Blob([kind === "csv" ? csv(rows) : json(rows)], { type }))
        setTimeout(() => URL.revokeObjectURL(anchor.href), 10_000)
    })
    return anchor
}

/** Puts CSV and JSON links after every table under `root` that has none yet. */
export function addDownloads(root = document) {
    for (const table of root.querySelectorAll("table")) {
        const next = table.nextElementSibling
        if (next?.classList.contains("downloads") && next.dataset.for === (table.dataset.table ?? "")) continue
        const links = el("p", "", { class: "downloads", "data-for": table.dataset.table ?? "" })
        links.append(link(table, "csv"), " ", link(table, "json"))
        table.after(links)
    }
}
