// Opening an election for either page: config, chain checks, public state and the definition,
// whose hash must equal the one on chain before any label is shown.
import { ElectionReader } from "./chain.js"
import { loadConfig } from "./config.js"
import { loadDefinition } from "./definition.js"

/**
 * @returns {Promise<{config: object, reader: ElectionReader, state: object, definition: object}>}
 * @throws {PageError} with the reason the election cannot be shown
 */
export async function openElection() {
    const config = await loadConfig()
    const reader = new ElectionReader(config)
    await reader.checkChain()
    const state = await reader.state()
    const definition = await loadDefinition(config.definition, state.definitionHash)
    return { config, reader, state, definition }
}
