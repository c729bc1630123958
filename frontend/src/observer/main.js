// The observers' page: everything from chain events, re-read every few seconds. It reads only
// new blocks' events after the first load, and a block's time once.
import { showFatal } from "../lib/banner.js"
import { renderCalendar } from "../lib/calendar-view.js"
import { byId, formatTime } from "../lib/dom.js"
import { openElection } from "../lib/election.js"
import { language, onLanguageChange, setupLanguageSwitch, t } from "../lib/i18n.js"
import { keepTablesLabelled } from "../lib/narrow-tables.js"
import { addDownloads } from "../lib/table-downloads.js"
import { renderDistrictTable, renderExclusions } from "./district-table.js"
import { loadAudit, loadResult, renderResult } from "./result.js"
import { electionStats } from "./stats.js"
import { renderTimeline } from "./timeline.js"

const view = { election: null, events: [], lastBlock: -1, stats: null, result: null }

async function refresh() {
    const { reader, config } = view.election
    const state = await reader.state()
    if (state.blockNumber > view.lastBlock) {
        const from = view.lastBlock < 0 ? config.fromBlock : view.lastBlock + 1
        view.events.push(...(await reader.events(from, state.blockNumber)))
        view.lastBlock = state.blockNumber
    }
    view.election.state = state
    const times = await reader.blockTimes(view.events.map((event) => event.blockNumber))
    view.stats = electionStats(view.events, state.districtCount, times)
    const hash = view.stats.result?.hash ?? null
    if (hash !== null && config.result && view.result?.hash !== hash) {
        view.result = { hash, checked: await loadResult(config.result, hash) }
        if (config.audit) view.result.audit = await loadAudit(config.audit, hash)
    }
    render()
}

function render() {
    if (view.stats === null) return
    const { state, definition, config } = view.election
    const time = (seconds) => (seconds === null ? "?" : formatTime(seconds, language()))
    byId("election-title").textContent = definition.title
    byId("election-status").textContent = t("election.verified")
    byId("election-hash").textContent = t("election.verified.expert", { hash: state.definitionHash })
    byId("updated").textContent = t("observe.updated", {
        block: state.blockNumber,
        time: time(state.chainTime),
        seconds: config.pollSeconds,
    })
    renderCalendar(byId("calendar"), state)
    renderDistrictTable(byId("district-table"), view.stats, definition)
    renderExclusions(byId("exclusion-list"), view.stats, definition, time)
    renderTimeline(byId("timeline-charts"), view.stats, state, definition)
    const hash = view.stats.result?.hash ?? null
    const current = view.result?.hash === hash ? view.result : null
    renderResult(byId("result-body"), hash, current?.checked ?? null, current?.audit ?? null)
    document.body.dataset.block = String(state.blockNumber)
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
