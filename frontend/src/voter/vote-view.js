// Section 2: open the voter's ballot (find the district, rebuild its register, work out the
// next revision), then prove in the browser and send through the relayers.
import { countedBallots, nextRevision } from "../lib/ballots.js"
import { VOTING_PHASE } from "../lib/chain.js"
import { districtLists, districtName } from "../lib/definition.js"
import { byId, el, formatTime, setVisible } from "../lib/dom.js"
import { asPageError, PageError } from "../lib/errors.js"
import { nullifierOf } from "../lib/encoding.js"
import { language, onLanguageChange, t } from "../lib/i18n.js"
import { proveBallot } from "../lib/prover.js"
import { buildRegister, findDistrict, registersFromEvents } from "../lib/register.js"
import { submitBallot } from "../lib/relayers.js"
import { showReceipt } from "./receipt-view.js"
import { onSessionChange, session } from "./session.js"

/** The ballot being filled in: {district, group, counted, nullifier}, or null. */
let ballot = null
let lastStatus = null
let lastError = null

export function setupVote() {
    byId("prepare-ballot").addEventListener("click", () => run(prepare))
    byId("ballot-form").addEventListener("submit", (event) => {
        event.preventDefault()
        run(cast)
    })
    onSessionChange(() => {
        ballot = null
        setVisible(byId("ballot-form"), false)
    })
    onLanguageChange(() => {
        if (ballot !== null) renderBallot()
        if (lastStatus !== null) status(...lastStatus)
        showError(lastError)
    })
}

/** Runs one step with the buttons disabled, turning any failure into a visible message. */
async function run(step) {
    const buttons = [byId("prepare-ballot"), byId("cast-ballot")]
    for (const button of buttons) button.disabled = true
    showError(null)
    try {
        await step()
    } catch (error) {
        showError(asPageError(error))
        status(null)
    } finally {
        for (const button of buttons) button.disabled = false
    }
}

/** Shows a failure (or, with null, hides it) in the section's alert, in the current language. */
function showError(failure) {
    lastError = failure
    const box = byId("vote-error")
    setVisible(box, failure !== null)
    if (failure === null) return
    box.textContent = t(failure.code, failure.params)
    box.dataset.error = failure.code
}

function status(key, params = {}) {
    lastStatus = key === null ? null : [key, params]
    byId("vote-status").textContent = key === null ? "" : t(key, params)
}

async function requireVotingOpen() {
    const { reader } = session.election
    const state = await reader.state()
    session.election.state = state
    if (state.phase !== VOTING_PHASE) {
        throw new PageError("error.votingClosed", {
            start: formatTime(state.calendar.votingStart, language()),
            end: formatTime(state.calendar.votingEnd, language()),
        })
    }
    return state
}

async function prepare() {
    if (session.identity === null) throw new PageError("vote.needIdentity")
    if (session.election === null) throw new PageError("election.loading")
    const state = await requireVotingOpen()
    status("vote.status.loading")
    const { reader } = session.election
    const events = await reader.events()
    const commitment = session.identity.commitment
    const district = findDistrict(registersFromEvents(events), commitment)
    if (district === null) throw new PageError("error.notRegistered")
    const onChain = await reader.district(district)
    if (onChain.memberCount < onChain.minimumMembers) {
        throw new PageError("relayer.district_below_minimum", {
            detail: `${onChain.memberCount} < ${onChain.minimumMembers}`,
        })
    }
    const group = buildRegister(registersFromEvents(events).get(district), district, onChain.merkleRoot)
    const nullifier = nullifierOf(state.scope, session.identity.secretScalar)
    ballot = { district, group, nullifier, counted: countedBallots(events).get(nullifier) ?? null }
    status(null)
    renderBallot()
    setVisible(byId("ballot-form"), true)
    byId("choices").querySelector("input")?.focus()
}

function pendingRevision() {
    const receipt = session.receipt
    return receipt !== null && receipt.nullifier === ballot.nullifier && receipt.status !== "failed"
        ? receipt.revision
        : 0
}

function renderBallot() {
    const { definition } = session.election
    byId("ballot-district").textContent = t("vote.district", {
        name: districtName(definition, ballot.district),
    })
    const previous = Math.max(ballot.counted?.revision ?? 0, pendingRevision())
    const note = byId("revote-note")
    note.textContent = t("vote.revoteNote", { revision: previous })
    setVisible(note, previous > 0)
    const checked = byId("choices").querySelector("input:checked")?.value
    const options = districtLists(definition, ballot.district).map((list, index) => {
        const id = `choice-${index}`
        const input = el("input", "", { type: "radio", name: "choice", id, value: String(index) })
        input.checked = checked === String(index)
        const label = el("label", list.name, { for: id })
        const candidates = el("small", t("vote.candidates", { names: list.candidates.join(", ") }))
        const row = el("div", "", { class: "choice" })
        row.append(input, label, candidates)
        return row
    })
    byId("choices").replaceChildren(...options)
}

async function cast() {
    const selected = byId("choices").querySelector("input:checked")
    if (selected === null) throw new PageError("vote.needChoice")
    const choice = Number(selected.value)
    const state = await requireVotingOpen()
    const revision = nextRevision(ballot.counted, pendingRevision())
    status("vote.status.proving")
    const { proof, publicSignals, seconds } = await proveBallot({
        identity: session.identity,
        group: ballot.group,
        scope: state.scope,
        district: ballot.district,
        choice,
        revision,
    })
    status("vote.status.proved", { seconds: seconds.toFixed(1) })
    const { config } = session.election
    const request = { election: config.election, district: ballot.district, choice, revision, proof, publicSignals }
    const skipped = []
    const { relayer } = await submitBallot(config.relayers, request, config.relayerTimeoutMs, (url, reason) => {
        skipped.push(url)
        status("vote.status.skipped", { relayer: url, reason })
    })
    status("vote.status.accepted", { relayer })
    showReceipt({
        nullifier: BigInt(publicSignals[1]),
        district: ballot.district,
        choice,
        revision,
        relayer,
        status: "queued",
        transactionHash: null,
        blockNumber: null,
        reason: null,
    })
    renderBallot()
}
