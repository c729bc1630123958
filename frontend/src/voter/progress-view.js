// The vote's progress, by stage: downloading the voting program, preparing the list of voters,
// sealing the ballot (the proof), sending it, and its recording on the chain. The active stage
// shows its elapsed seconds, refreshed twice a second, so the page never stalls silently.
import { byId, setVisible } from "../lib/dom.js"
import { onLanguageChange, t } from "../lib/i18n.js"
import { onProverProgress } from "../lib/prover-files.js"

export const STAGES = ["download", "register", "prove", "send", "included"]
/** Share of the bar each stage fills, in percent (the proof is the long one). */
const WEIGHT = { download: 20, register: 10, prove: 50, send: 10, included: 10 }
/** Seconds the proof is expected to take, to move the bar while it runs (never past 95%). */
const EXPECTED_PROOF_SECONDS = 4

let active = null
let startedAt = 0
let fraction = 0
let failed = false
let ticker = null
let download = { loaded: 0, total: 0 }

export function setupProgress() {
    onProverProgress((bytes) => {
        download = bytes
        if (active === "download") render()
    })
    onLanguageChange(render)
}

/** Starts `stage` (every earlier stage is then done). */
export function enterStage(stage) {
    active = stage
    startedAt = performance.now()
    fraction = 0
    failed = false
    setVisible(byId("vote-progress"), true)
    ticker ??= setInterval(render, 500)
    render()
}

/** Marks the whole vote done (the ballot is on the chain) or failed at the active stage. */
export function finishStages(outcome) {
    failed = outcome === "failed"
    if (!failed) active = "done"
    clearInterval(ticker)
    ticker = null
    render()
}

function percent() {
    if (active === "done") return 100
    let sum = 0
    for (const stage of STAGES) {
        if (stage === active) break
        sum += WEIGHT[stage]
    }
    if (active === "download" && download.total > 0) fraction = download.loaded / download.total
    if (active === "prove") fraction = Math.min(0.95, (performance.now() - startedAt) / 1000 / EXPECTED_PROOF_SECONDS)
    return Math.round(sum + WEIGHT[active] * fraction)
}

function render() {
    if (active === null) return
    const index = active === "done" ? STAGES.length : STAGES.indexOf(active)
    for (const item of byId("vote-stages").querySelectorAll("li")) {
        const position = STAGES.indexOf(item.dataset.stage)
        const state = position < index ? "done" : position === index ? (failed ? "failed" : "active") : "pending"
        item.dataset.state = state
        if (state === "active") item.setAttribute("aria-current", "step")
        else item.removeAttribute("aria-current")
    }
    const bar = byId("vote-progress-bar")
    bar.value = percent()
    bar.dataset.stage = active
    const text = byId("vote-progress-text")
    if (active === "done") {
        text.textContent = t("vote.stage.done")
        return
    }
    const seconds = Math.floor((performance.now() - startedAt) / 1000)
    const params = { seconds, mb: (download.loaded / 1e6).toFixed(1), total: (download.total / 1e6).toFixed(1) }
    text.textContent = t(failed ? "vote.stage.failed" : `vote.stage.${active}.now`, params)
}
