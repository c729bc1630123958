// Section 3: the receipt of the last ballot, followed at the relayer until the chain includes
// it (or the relayer reports a failure, with its reason). In the recorded mode, until this
// device has read the record from the chain and verified its proof: "recorded", not "counted".
import { countedBallotOf } from "../lib/ballot-lookup.js"
import { districtLists, districtName, isRecorded } from "../lib/definition.js"
import { byId, definitionList, setVisible } from "../lib/dom.js"
import { onLanguageChange, t } from "../lib/i18n.js"
import { ballotStatus } from "../lib/relayers.js"
import { session } from "./session.js"

const POLL_MS = 1500
const POLL_LIMIT_MS = 10 * 60 * 1000
/** Every this many polls the chain itself is read, in case the relayer cannot say. */
const CHAIN_EVERY = 4
/** Recorded mode: reads of the chain after the relayer said "included" before the page says it
 * found no valid record (the node it reads may be a block behind). */
const CONFIRM_TRIES = 4
/** Statuses after which the receipt is no longer followed. */
const FINAL = new Set(["included", "recorded", "failed", "unconfirmed"])
let polling = null

/** Shows `receipt` and follows it at its relayer until it is final. */
export function showReceipt(receipt) {
    session.receipt = receipt
    render()
    setVisible(byId("receipt"), true)
    byId("receipt-heading").scrollIntoView?.({ block: "nearest" })
    follow(receipt)
}

export function setupReceipt() {
    onLanguageChange(render)
}

function follow(receipt) {
    if (polling !== null) clearTimeout(polling)
    const { config } = session.election
    const started = Date.now()
    let polls = 0
    const poll = async () => {
        polling = null
        polls += 1
        if (session.receipt !== receipt) return
        const answer = await ballotStatus(receipt.relayer, config.election, receipt.nullifier, config.relayerTimeoutMs)
        const submission = answer?.submission
        if (submission && submission.revision === receipt.revision) {
            receipt.status = submission.status
            receipt.transactionHash = submission.transactionHash ?? null
            receipt.blockNumber = submission.blockNumber ?? null
            receipt.reason = submission.reason ?? null
        }
        if (isRecorded(session.election.definition)) {
            // The relayer's "included" only says a record is in a block: the chain verified
            // nothing. The page reads it and verifies its proof before saying "recorded".
            if (receipt.status === "included" || polls % CHAIN_EVERY === 0) await confirmRecord(receipt)
        } else {
            const counted = answer?.counted
            if (counted && counted.revision >= receipt.revision && receipt.status !== "included") {
                receipt.status = "included"
                receipt.transactionHash = counted.transactionHash
                receipt.blockNumber = counted.blockNumber
            }
            if (receipt.status !== "included" && polls % CHAIN_EVERY === 0) await readChain(receipt)
        }
        render()
        document.dispatchEvent(new CustomEvent("veche:receipt", { detail: receipt }))
        const final = FINAL.has(receipt.status)
        if (!final && Date.now() - started < POLL_LIMIT_MS) polling = setTimeout(poll, POLL_MS)
    }
    polling = setTimeout(poll, 300)
}

/** Marks the receipt included if the chain holds this ballot or a later one of this voter. The
 * event log since the ballot was sent is read and filtered here: the node is not told which
 * nullifier we follow. */
async function readChain(receipt) {
    try {
        const counted = await countedBallotOf(session.election, receipt.nullifier, receipt.sentAtBlock)
        if (counted && counted.revision >= receipt.revision) {
            receipt.status = "included"
            receipt.transactionHash = counted.transactionHash
            receipt.blockNumber = counted.blockNumber
        }
    } catch {
        // The chain is unreachable for now; the next poll tries again.
    }
}

/** Recorded mode: "recorded" once the chain holds a record of this ballot (or a later one of
 * this voter) whose proof this device verified and which the recount's rule counts;
 * "unconfirmed" if the relayer says it is in a block and no such record is found there. The
 * whole sequence is read (or the bucket's block and what follows), not only the blocks since
 * the ballot was sent: a record that skips a revision is in a block but will not count. */
async function confirmRecord(receipt) {
    let found
    try {
        found = await countedBallotOf(session.election, receipt.nullifier)
    } catch {
        return // the chain is unreachable for now; the next poll tries again
    }
    if (found && found.revision >= receipt.revision) {
        receipt.status = "recorded"
        receipt.transactionHash = found.transactionHash
        receipt.blockNumber = found.blockNumber
        return
    }
    if (receipt.status !== "included") return
    receipt.confirmTries = (receipt.confirmTries ?? 0) + 1
    if (receipt.confirmTries >= CONFIRM_TRIES) receipt.status = "unconfirmed"
}

function render() {
    const receipt = session.receipt
    if (receipt === null || session.election === null) {
        setVisible(byId("receipt"), false)
        return
    }
    const { definition } = session.election
    const pending = t("receipt.pending")
    const list = receipt.choice === null ? null : districtLists(definition, receipt.district)[receipt.choice]
    const choice = receipt.choice === null ? t("receipt.sealed") : (list?.name ?? `#${receipt.choice + 1}`)
    const rows = [
        ["nullifier", t("receipt.nullifier"), receipt.nullifier.toString()],
        ["district", t("receipt.district"), districtName(definition, receipt.district)],
        ["choice", t("receipt.choice"), choice],
        ["revision", t("receipt.revision"), receipt.revision],
        ["relayer", t("receipt.relayer"), receipt.relayer],
        ["status", t("receipt.status"), t(`status.${receipt.status}`, { reason: receipt.reason ?? "", block: receipt.blockNumber ?? "" })],
        ["transaction", t("receipt.transaction"), receipt.transactionHash ?? pending],
        ["block", t("receipt.block"), receipt.blockNumber ?? pending],
    ]
    const fields = byId("receipt-fields")
    fields.replaceChildren(definitionList(rows))
    fields.dataset.status = receipt.status
}
