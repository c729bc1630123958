// The observers' page: a running tally of the election (see tally.js), started from a published
// summary when the deployment offers one and the public ledger confirms it (summary.js), else
// from the election's first block, then grown every few seconds by the new blocks' events only.
// Each event's time comes with its log; no block is ever asked for by number.
import { showFatal } from "../lib/banner.js"
import { renderCalendar } from "../lib/calendar-view.js"
import { byId, el, formatTime } from "../lib/dom.js"
import { openElection } from "../lib/election.js"
import { language, onLanguageChange, setupLanguageSwitch, t } from "../lib/i18n.js"
import { keepTablesLabelled } from "../lib/narrow-tables.js"
import { addDownloads } from "../lib/table-downloads.js"
import { renderDistrictTable, renderExclusions } from "./district-table.js"
import { renderRegistrars } from "./registrars.js"
import { loadAudit, loadResult, renderResult } from "./result.js"
import { fetchSummary, ledgerProblems, summaryProblems, tallyFromSummary } from "./summary.js"
import { emptyTally, foldEvents } from "./tally.js"
import { renderTimeline } from "./timeline.js"

const view = { election: null, tally: null, known: null, summary: null, result: null, rendered: false }

/** Starts the tally from the deployment's summary if the ledger confirms it, else from scratch. */
async function startTally() {
    const { config, state, reader } = view.election
    if (config.summary) {
        try {
            const summary = await fetchSummary(config.summary)
            let problems = summaryProblems(summary, view.election)
            if (problems.length === 0) problems = await ledgerProblems(summary, reader)
            if (problems.length === 0) {
                view.summary = { status: "checked", block: summary.block, districts: summary.districts.length }
                view.known = { block: summary.block, time: summary.blockTime }
                return tallyFromSummary(summary)
            }
            view.summary = { status: "mismatch", problems }
        } catch (error) {
            view.summary = { status: "unavailable", detail: error.message }
        }
    }
    return emptyTally(state.districtCount, state.calendar)
}

async function refresh() {
    const { reader, config } = view.election
    const state = await reader.state()
    view.tally ??= await startTally()
    const tally = view.tally
    let changed = view.election.state.blockNumber !== state.blockNumber || !view.rendered
    if (state.blockNumber > tally.block) {
        const from = tally.block < 0 ? config.fromBlock : tally.block + 1
        const now = { block: state.blockNumber, time: state.chainTime }
        foldEvents(tally, await reader.events(from, state.blockNumber, view.known ? [view.known, now] : [now]))
        tally.block = state.blockNumber
        view.known = now
        changed = true
    }
    view.election.state = state
    const hash = tally.result?.hash ?? null
    if (hash !== null && config.result && view.result?.hash !== hash) {
        view.result = { hash, checked: await loadResult(config.result, hash) }
        if (config.audit) view.result.audit = await loadAudit(config.audit, hash)
        changed = true
    }
    if (changed) render()
}

function renderSummaryStatus() {
    const status = byId("summary-status")
    const summary = view.summary
    status.hidden = summary === null
    if (summary === null) return
    status.dataset.summary = summary.status
    status.classList.toggle("error", summary.status !== "checked")
    status.setAttribute("role", summary.status === "checked" ? "status" : "alert")
    const parts = [el("span", t(`observe.summary.${summary.status}`, { block: summary.block, detail: summary.detail ?? "" }))]
    if (summary.status === "mismatch") {
        const fold = el("details", "", { class: "expert" })
        const list = el("ul")
        for (const problem of summary.problems) list.append(el("li", problem))
        fold.append(el("summary", t("details")), list)
        parts.push(fold)
    } else if (summary.status === "checked") {
        const fold = el("details", "", { class: "expert" })
        fold.append(el("summary", t("details")), el("p", t("observe.summary.checked.expert", summary)))
        parts.push(fold)
    }
    status.replaceChildren(...parts)
}

function render() {
    if (view.tally === null) return
    const { state, definition, config } = view.election
    const tally = view.tally
    const time = (seconds) => (seconds === null ? "?" : formatTime(seconds, language()))
    byId("election-title").textContent = definition.title
    byId("election-status").textContent = t("election.verified")
    byId("election-hash").textContent = t("election.verified.expert", { hash: state.definitionHash })
    byId("updated").textContent = t("observe.updated", {
        block: state.blockNumber,
        time: time(state.chainTime),
        seconds: config.pollSeconds,
    })
    renderSummaryStatus()
    renderCalendar(byId("calendar"), state)
    renderDistrictTable(byId("district-table"), tally, definition)
    renderExclusions(byId("exclusion-list"), tally, definition, time)
    renderTimeline(byId("timeline-charts"), tally, state, definition)
    renderRegistrars(byId("registrar-charts"), tally, state, definition)
    const hash = tally.result?.hash ?? null
    const current = view.result?.hash === hash ? view.result : null
    const sealed = definition.ballot_secrecy === "encrypted" ? { decryptions: tally.decryptions ?? [] } : null
    renderResult(byId("result-body"), hash, current?.checked ?? null, current?.audit ?? null, sealed)
    document.body.dataset.block = String(state.blockNumber)
    view.rendered = true
}

async function loop() {
    try {
        await refresh()
        byId("banner").hidden = true
    } catch (error) {
        showFatal(error)
    }
    setTimeout(loop, view.election.config.pollSeconds * 1000)
}

async function start() {
    setupLanguageSwitch()
    keepTablesLabelled(document.body, addDownloads)
    onLanguageChange(render)
    try {
        view.election = await openElection()
    } catch (error) {
        byId("election-status").textContent = ""
        showFatal(error)
        document.body.dataset.ready = "failed"
        return
    }
    document.body.dataset.ready = "true"
    loop()
}

start()
