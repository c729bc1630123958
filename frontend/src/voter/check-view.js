// Section 4, "check my ballot": finds the voter's ballots on this device (every event, or one
// bucket of ballot locations at a million: lib/ballot-lookup.js), then shows the ballot that
// counts (the highest revision) in words; in the recorded mode, the record the recount will
// count, its proof verified on this device.
import { countedBallotOf, MANY_COPIES } from "../lib/ballot-lookup.js"
import { districtLists, districtName } from "../lib/definition.js"
import { byId, definitionList, el, formatTime } from "../lib/dom.js"
import { nullifierOf } from "../lib/encoding.js"
import { asPageError, PageError } from "../lib/errors.js"
import { language, onLanguageChange, t } from "../lib/i18n.js"
import { onSessionChange, session } from "./session.js"

let last = null

export function setupCheck() {
    byId("check-form").addEventListener("submit", async (event) => {
        event.preventDefault()
        try {
            last = await check(byId("check-nullifier").value.trim())
        } catch (error) {
            last = { error: asPageError(error) }
        }
        render()
    })
    onSessionChange(fillNullifier)
    onLanguageChange(render)
}

/** Puts the identity's own nullifier in the form (computed here, from the secret). */
export function fillNullifier() {
    const input = byId("check-nullifier")
    if (session.identity === null || session.election === null) return
    input.value = nullifierOf(session.election.state.scope, session.identity.secretScalar).toString()
}

async function check(text) {
    if (!/^[0-9]{1,78}$/.test(text)) throw new PageError("error.badNullifier")
    const nullifier = BigInt(text)
    const { reader } = session.election
    const ballot = await countedBallotOf(session.election, nullifier)
    if (ballot === null) return { nullifier, ballot: null }
    const times = await reader.blockTimes([ballot.blockNumber])
    // A ballot on chain counts only while its district stands: an appeal can exclude it.
    const { excluded } = await reader.district(ballot.district)
    return { nullifier, ballot, excluded, time: times.get(ballot.blockNumber) }
}

function render() {
    const result = byId("check-result")
    if (last === null) return
    if (last.error) {
        const message = el("p", t(last.error.code, last.error.params), { class: "error", role: "alert" })
        message.dataset.error = last.error.code
        result.replaceChildren(message)
        return
    }
    const { ballot } = last
    if (ballot === null) {
        result.replaceChildren(el("p", t("check.none"), { "data-outcome": "none" }))
        return
    }
    const { definition } = session.election
    const list = ballot.choice === null ? null : districtLists(definition, ballot.district)[ballot.choice]
    const choice = ballot.choice === null ? t("receipt.sealed") : (list?.name ?? `#${ballot.choice + 1}`)
    // In the recorded mode nothing is counted until a recount: the page verified the record's
    // proof and says it is recorded and will be counted, never that it is counted.
    const standing = last.excluded ? "excluded" : ballot.recorded ? "recorded" : "counted"
    const rows = [
        ["district", t("receipt.district"), districtName(definition, ballot.district)],
        ["choice", t("receipt.choice"), choice],
        ["revision", t("receipt.revision"), ballot.revision],
        ["count", t("check.ballots"), ballot.count],
        ["status", t("receipt.status"), t(`status.${standing}`, { block: ballot.blockNumber })],
        ["transaction", t("receipt.transaction"), ballot.transactionHash],
        ["block", t("receipt.block"), ballot.blockNumber],
        ["time", t("check.time"), formatTime(last.time, language())],
    ]
    const outcome = last.excluded ? "excluded" : ballot.recorded ? "recorded" : "found"
    const parts = [el("p", t(`check.${outcome}`, { block: ballot.blockNumber }), { "data-outcome": outcome }), definitionList(rows)]
    if (ballot.copies >= MANY_COPIES) {
        parts.push(el("p", t("check.copies", { copies: ballot.copies }), { class: "warning", "data-warning": "copies" }))
    }
    result.replaceChildren(...parts)
}
