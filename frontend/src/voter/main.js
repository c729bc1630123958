// The voter page: wires the four sections, then opens the election. If the election cannot be
// opened (bad config, unreadable chain, a definition that differs from the chain's, a
// verification key other than the one the definition pins), the page says why and shows no
// ballot: a wrong label or a wrong key must never reach a voter.
import { showFatal } from "../lib/banner.js"
import { renderCalendar } from "../lib/calendar-view.js"
import { byId } from "../lib/dom.js"
import { isEncrypted } from "../lib/definition.js"
import { openElection } from "../lib/election.js"
import { requirePinnedKey } from "../lib/prover-files.js"
import { onLanguageChange, setupLanguageSwitch, t } from "../lib/i18n.js"
import { fillNullifier, setupCheck } from "./check-view.js"
import { setupHolderProof } from "./holder-view.js"
import { setupIdentity } from "./identity-view.js"
import { setupReceipt } from "./receipt-view.js"
import { check as checkReplaced, setupReplacedWarning } from "./replaced-view.js"
import { session, sessionChanged } from "./session.js"
import { setupVote, warmUp } from "./vote-view.js"

function renderElection() {
    const election = session.election
    if (election === null) return
    byId("election-title").textContent = election.definition.title
    byId("election-status").textContent = t("election.verified")
    byId("election-hash").textContent = t("election.verified.expert", {
        hash: election.state.definitionHash,
    })
    renderCalendar(byId("calendar"), election.state)
}

async function start() {
    setupLanguageSwitch()
    setupIdentity()
    setupHolderProof()
    setupVote()
    setupReceipt()
    setupCheck()
    setupReplacedWarning()
    onLanguageChange(renderElection)
    try {
        const election = await openElection()
        // An encrypted election's definition pins its encrypted circuit's key.
        const circuit = isEncrypted(election.definition) ? "encrypted" : "plain"
        await requirePinnedKey(election.definition.verification_key_sha256, null, circuit)
        session.election = election
    } catch (error) {
        byId("election-status").textContent = ""
        for (const id of ["vote", "check"]) byId(id).hidden = true
        showFatal(error)
        document.body.dataset.ready = "failed"
        return
    }
    renderElection()
    warmUp()
    sessionChanged()
    fillNullifier()
    document.body.dataset.ready = "true"
    setInterval(followPhase, session.election.config.pollSeconds * 1000)
}

/** Re-reads the phase and calendar, so the page says when voting opens or closes. */
async function followPhase() {
    try {
        session.election.state = await session.election.reader.state()
        renderElection()
        await checkReplaced()
    } catch {
        // A passing RPC failure: the next tick tries again, and voting re-checks anyway.
    }
}

start()
