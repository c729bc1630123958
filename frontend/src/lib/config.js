// The deployment's settings, read from config.json next to the page. A page host changes only
// this file (and definition.json); the code is the same for every election.
import { getAddress } from "ethers"
import { PageError } from "./errors.js"

const DEFAULTS = {
    fromBlock: 0,
    relayerTimeoutMs: 20000,
    pollSeconds: 5,
    result: null,
    audit: null,
    summary: null,
    snapshots: null,
    ballotBuckets: null,
}

/**
 * @typedef {object} Config
 * @property {string} rpcUrl JSON-RPC endpoint the page reads the chain from
 * @property {number} chainId the chain the election lives on; any other is refused
 * @property {string} election the Election contract's address
 * @property {number} fromBlock first block to read events from (the deployment block)
 * @property {string[]} relayers relayer base URLs, tried in this order
 * @property {number} relayerTimeoutMs how long to wait for one relayer before trying the next
 * @property {string} definition URL of the election definition's canonical JSON
 * @property {string | null} result URL of the published result record, if any
 * @property {string | null} audit URL of a recount record made with `veche recount --audit`
 * @property {string | null} summary URL of an observers' summary (`veche recount --summary`),
 *   checked against the public ledger before the observers' page uses it
 * @property {number} pollSeconds how often live views re-read the chain
 * @property {string | null} snapshots URL of the folder of register snapshots (`veche register
 *   snapshot`); without it the page rebuilds registers from the chain's events (small elections)
 * @property {string | null} ballotBuckets URL of the folder of ballot buckets (`veche recount
 *   --buckets`); without it "check my ballot" reads every event (small elections)
 */

/** Loads and checks config.json (or `url`); a missing or malformed file is a PageError. */
export async function loadConfig(url = "config.json") {
    let raw
    try {
        const response = await fetch(url, { cache: "no-store" })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        raw = await response.json()
    } catch (error) {
        throw new PageError("error.config", { detail: `${url}: ${error.message}` })
    }
    return checkConfig({ ...DEFAULTS, ...raw })
}

function checkConfig(config) {
    const problems = []
    if (typeof config.rpcUrl !== "string" || config.rpcUrl === "") problems.push("rpcUrl")
    if (!Number.isSafeInteger(config.chainId) || config.chainId <= 0) problems.push("chainId")
    if (!Number.isSafeInteger(config.fromBlock) || config.fromBlock < 0) problems.push("fromBlock")
    if (typeof config.definition !== "string" || config.definition === "") problems.push("definition")
    for (const folder of ["snapshots", "ballotBuckets"]) {
        if (config[folder] !== null && (typeof config[folder] !== "string" || config[folder] === "")) {
            problems.push(folder)
        }
    }
    if (!Array.isArray(config.relayers) || config.relayers.some((r) => typeof r !== "string")) {
        problems.push("relayers")
    }
    try {
        config.election = getAddress(config.election)
    } catch {
        problems.push("election")
    }
    if (problems.length > 0) throw new PageError("error.config", { detail: problems.join(", ") })
    config.relayers = config.relayers.map((url) => url.replace(/\/+$/, ""))
    return config
}
