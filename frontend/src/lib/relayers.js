// Sending a ballot through the configured relayers, in order. A relayer that is down, slow,
// overloaded or broken (network error, timeout, 429, 5xx) is skipped for the next one; a
// definitive refusal (invalid proof, stale revision, voting closed...) is final, since every
// honest relayer would refuse the same ballot for the same reason.
import { PageError } from "./errors.js"

/** Refusals after which the next relayer is tried. */
function isUnavailable(status) {
    return status === 429 || status >= 500
}

async function post(url, body, timeoutMs) {
    return fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        credentials: "omit",
    })
}

/**
 * Submits `ballot` to the first relayer that takes it.
 * @param {(relayer: string, reason: string) => void} onSkip told about each relayer skipped
 * @returns {Promise<{relayer: string, answer: object}>} the accepting relayer and its 202 body
 * @throws {PageError} "relayer.<code>" on a definitive refusal, "error.relayersDown" otherwise
 */
export async function submitBallot(relayers, ballot, timeoutMs, onSkip = () => {}) {
    const reasons = []
    for (const relayer of relayers) {
        let response
        try {
            response = await post(`${relayer}/ballots`, ballot, timeoutMs)
        } catch (error) {
            const reason = error?.name === "TimeoutError" ? "timeout" : "unreachable"
            reasons.push(`${relayer}: ${reason}`)
            onSkip(relayer, reason)
            continue
        }
        const answer = await response.json().catch(() => ({}))
        if (response.status === 202 || response.status === 200) return { relayer, answer }
        if (isUnavailable(response.status)) {
            const reason = `${response.status} ${answer.error ?? ""}`.trim()
            reasons.push(`${relayer}: ${reason}`)
            onSkip(relayer, reason)
            continue
        }
        throw new PageError(`relayer.${answer.error ?? "refused"}`, {
            detail: answer.detail ?? `HTTP ${response.status}`,
            relayer,
        })
    }
    throw new PageError("error.relayersDown", { detail: reasons.join("; ") || "none configured" })
}

/** The relayer's view of one ballot: {submission, counted}, or null if it cannot be reached. */
export async function ballotStatus(relayer, election, nullifier, timeoutMs) {
    try {
        const url = `${relayer}/ballots/${nullifier}?election=${election}`
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), credentials: "omit" })
        if (!response.ok) return null
        return await response.json()
    } catch {
        return null
    }
}
