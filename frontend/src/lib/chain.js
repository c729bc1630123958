// Everything the pages read from the chain: the election's views and its whole event log. The
// page downloads every event and filters locally, so the RPC node never learns which register
// entry or which nullifier this device cares about.
import { Contract, Interface, JsonRpcProvider } from "ethers"
import abi from "veche:election-abi"
import { PageError } from "./errors.js"

/** Blocks per eth_getLogs request; halved when a node refuses a range as too large. */
const LOG_CHUNK = 50_000
/** Blocks of the first request of a lookup with a download budget (`events`). */
const BUDGET_FIRST_CHUNK = 4

export const electionInterface = new Interface(abi)

/** A read-only view of one election through one RPC endpoint. */
export class ElectionReader {
    constructor(config) {
        this.config = config
        this.provider = new JsonRpcProvider(config.rpcUrl, config.chainId, {
            staticNetwork: true,
            batchMaxCount: 1,
        })
        this.contract = new Contract(config.election, abi, this.provider)
    }

    /** Checks that the RPC serves the configured chain and that an election lives there. */
    async checkChain() {
        let chainId, code
        try {
            chainId = Number(await this.provider.send("eth_chainId", []))
            code = await this.provider.getCode(this.config.election)
        } catch (error) {
            throw new PageError("error.rpc", { detail: shortReason(error) })
        }
        if (chainId !== this.config.chainId) {
            throw new PageError("error.wrongChain", { actual: chainId, expected: this.config.chainId })
        }
        if (code === "0x") throw new PageError("error.noElection", { address: this.config.election })
    }

    /** The election's public state and the chain's clock (the latest block's time). */
    async state() {
        try {
            const [calendar, phase, definitionHash, districtCount, scope, resultHash, block] =
                await Promise.all([
                    this.contract.calendar(),
                    this.contract.phase(),
                    this.contract.definitionHash(),
                    this.contract.districtCount(),
                    this.contract.scope(),
                    this.contract.resultHash(),
                    this.provider.getBlock("latest"),
                ])
            return {
                calendar: {
                    registrationStart: Number(calendar.registrationStart),
                    registrationEnd: Number(calendar.registrationEnd),
                    votingStart: Number(calendar.votingStart),
                    votingEnd: Number(calendar.votingEnd),
                    appealsEnd: Number(calendar.appealsEnd),
                },
                phase: Number(phase),
                definitionHash,
                districtCount: Number(districtCount),
                scope: BigInt(scope),
                resultHash: BigInt(resultHash) === 0n ? null : resultHash,
                chainTime: block.timestamp,
                blockNumber: block.number,
            }
        } catch (error) {
            throw new PageError("error.rpc", { detail: shortReason(error) })
        }
    }

    /** A district as it stands: {optionCount, memberCount, minimumMembers, excluded, merkleRoot}. */
    async district(district) {
        try {
            const state = await this.contract.districtState(district)
            return {
                optionCount: Number(state.optionCount),
                memberCount: Number(state.memberCount),
                minimumMembers: Number(state.minimumMembers),
                excluded: state.excluded,
                merkleRoot: BigInt(state.merkleRoot),
            }
        } catch (error) {
            throw new PageError("error.rpc", { detail: shortReason(error) })
        }
    }

    /** The on-chain Merkle root of a district's register. */
    async merkleRoot(district) {
        return BigInt(await this.contract.merkleRoot(district))
    }

    /**
     * Every event of the election from `fromBlock` to `toBlock`, parsed, in chain order. Each
     * has `time`: its block's time as the node states it in the log (`blockTimestamp`), or, from
     * a node that does not, a time estimated between `known` blocks' times ([{block, time}]), so
     * that no block is ever asked for one by one.
     * @returns {Promise<Array<{name: string, args: object, blockNumber: number, time: number,
     *   transactionHash: string, logIndex: number}>>}
     */
    /**
     * Every log of the election in [fromBlock, toBlock] (default: to the latest block), parsed.
     * `budget` ({left: bytes}) bounds what may be downloaded: each answer's log data is taken
     * from it, requests start at `firstChunk` blocks and grow only while answers stay small,
     * and a lookup that would need more throws `error.lookupTooLarge` instead of filling the
     * device's memory (a relayer can post megabytes of records a block).
     */
    async events(fromBlock = this.config.fromBlock, toBlock = undefined, known = [], budget = null) {
        try {
            const last = toBlock ?? (await this.provider.getBlockNumber())
            const logs = []
            let chunk = budget === null ? LOG_CHUNK : BUDGET_FIRST_CHUNK
            for (let start = fromBlock; start <= last; ) {
                const end = Math.min(last, start + chunk - 1)
                let answer
                try {
                    answer = await this.provider.send("eth_getLogs", [{
                        address: this.config.election,
                        fromBlock: toHex(start),
                        toBlock: toHex(end),
                    }])
                } catch (error) {
                    if (chunk === 1) throw error
                    chunk = Math.max(1, Math.floor(chunk / 2))
                    continue
                }
                if (budget !== null) {
                    const bytes = answer.reduce((sum, log) => sum + log.data.length / 2 + 32 * log.topics.length, 0)
                    budget.left -= bytes
                    if (budget.left < 0) throw new PageError("error.lookupTooLarge", { block: start })
                    // Doubles only while an answer used little of what is left.
                    if (bytes * 16 < budget.left) chunk = Math.min(LOG_CHUNK, chunk * 2)
                }
                logs.push(...answer)
                start = end + 1
            }
            const estimate = estimator(known)
            return logs.map((log) => parseLog(log, estimate)).filter((event) => event !== null)
        } catch (error) {
            if (error instanceof PageError) throw error
            throw new PageError("error.rpc", { detail: shortReason(error) })
        }
    }

    /**
     * Every replacement of a registered key (`MemberReplaced`, key recovery), from the first
     * block: the same request for every visitor (no commitment in it), and an empty list from
     * a contract without recovery.
     */
    async replacements() {
        const event = electionInterface.getEvent("MemberReplaced")
        if (event === null) return []
        try {
            const logs = await this.provider.send("eth_getLogs", [{
                address: this.config.election,
                topics: [event.topicHash],
                fromBlock: toHex(this.config.fromBlock),
                toBlock: "latest",
            }])
            return logs.map((log) => parseLog(log, () => null)).filter((e) => e !== null)
        } catch (error) {
            throw new PageError("error.rpc", { detail: shortReason(error) })
        }
    }

    /** Unix time of each block number given (cached: a block's time never changes). */
    async blockTimes(numbers) {
        this.times ??= new Map()
        const missing = [...new Set(numbers)].filter((n) => !this.times.has(n))
        for (let i = 0; i < missing.length; i += 8) {
            const blocks = await Promise.all(missing.slice(i, i + 8).map((n) => this.provider.getBlock(n)))
            for (const block of blocks) this.times.set(block.number, block.timestamp)
        }
        return this.times
    }
}

function toHex(number) {
    return `0x${number.toString(16)}`
}

/** A block's time from two known blocks around it (linear; the nearest if outside them). */
function estimator(known) {
    const points = [...known].sort((a, b) => a.block - b.block)
    return (block) => {
        if (points.length === 0) return null
        let i = points.findIndex((point) => point.block >= block)
        if (i === -1) return points.at(-1).time
        if (i === 0 || points[i].block === block) return points[i].time
        const [a, b] = [points[i - 1], points[i]]
        return Math.round(a.time + ((b.time - a.time) * (block - a.block)) / (b.block - a.block))
    }
}

function parseLog(log, estimate) {
    const parsed = electionInterface.parseLog({ topics: log.topics, data: log.data })
    if (parsed === null) return null
    const blockNumber = Number(log.blockNumber)
    return {
        name: parsed.name,
        args: parsed.args,
        blockNumber,
        time: log.blockTimestamp != null ? Number(log.blockTimestamp) : estimate(blockNumber),
        transactionHash: log.transactionHash,
        logIndex: Number(log.logIndex),
    }
}

/** One line from an ethers error, without its long JSON dump. */
export function shortReason(error) {
    return String(error?.shortMessage ?? error?.message ?? error).split("\n")[0].slice(0, 200)
}
