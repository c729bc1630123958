// Tables on a phone: below 40rem each row is shown as a small card of "header: value" lines
// (style.css), so no table is wider than the screen. This labels every cell with its column's
// header, for every table the page draws now or later.

/** Copies each column's header text onto the cells under it (data-label), in `root`. */
export function labelCells(root = document) {
    for (const table of root.querySelectorAll("table")) {
        const rows = [...table.querySelectorAll("tr")]
        const head = rows.find((row) => row.querySelector("th[scope=col]") !== null) ?? rows[0]
        if (head === undefined) continue
        const labels = [...head.children].map((cell) => cell.textContent)
        for (const row of rows) {
            if (row === head) continue
            ;[...row.children].forEach((cell, index) => {
                if (labels[index] && cell.dataset.label !== labels[index]) cell.dataset.label = labels[index]
            })
        }
    }
}

/** Keeps every table under `root` labelled (and `also(root)` done) as the page redraws them. */
export function keepTablesLabelled(root = document.body, also = () => {}) {
    const run = () => {
        labelCells(root)
        also(root)
    }
    run()
    new MutationObserver(run).observe(root, { childList: true, subtree: true })
}
