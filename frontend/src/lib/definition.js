// The election definition (districts, lists, candidates, seats), trusted only once its keccak256
// equals the hash the Election contract holds: a page host cannot relabel the options.
import { keccak256 } from "ethers"
import { PageError } from "./errors.js"

/**
 * Downloads the canonical definition JSON and checks it against `expectedHash` (bytes32 hex).
 * @returns {Promise<object>} the parsed definition
 * @throws {PageError} "error.definitionMismatch" when the bytes are not the ones on chain
 */
export async function loadDefinition(url, expectedHash) {
    let bytes
    try {
        const response = await fetch(url, { cache: "no-store" })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        bytes = new Uint8Array(await response.arrayBuffer())
    } catch (error) {
        throw new PageError("error.definitionFetch", { detail: `${url}: ${error.message}` })
    }
    const actual = keccak256(bytes)
    if (actual.toLowerCase() !== expectedHash.toLowerCase()) {
        throw new PageError("error.definitionMismatch", { actual, expected: expectedHash })
    }
    return JSON.parse(new TextDecoder().decode(bytes))
}

/** The name of district `index`, or a neutral placeholder before the definition is trusted. */
export function districtName(definition, index) {
    return definition?.districts?.[index]?.name ?? `#${index + 1}`
}

/** True when the definition seals the ballots (`ballot_secrecy = "encrypted"`): the page then
 * proves an encrypted ballot and never shows or sends the choice. */
export function isEncrypted(definition) {
    return definition?.ballot_secrecy === "encrypted"
}

/** True in the recorded ballot mode (`ballot_mode = "recorded"`): relayers post records the
 * chain does not verify, so the page verifies the voter's own and says "recorded", never
 * "counted", until a recount has run. */
export function isRecorded(definition) {
    return definition?.ballot_mode === "recorded"
}

/** The lists (ballot options) of district `index`, in ballot order. */
export function districtLists(definition, index) {
    return definition?.districts?.[index]?.lists ?? []
}
