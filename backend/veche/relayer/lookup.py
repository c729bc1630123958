"""Finding the transaction that carried a counted ballot, without scanning the chain from block 0.

The contract stores a ballot's `castAt` (its block's timestamp). Block timestamps never go down,
so the blocks of that second are found by two binary searches over block numbers (about
2·log2(height) header reads: some 50 at ten million blocks), and only those blocks' logs are
read. A scan of every `BallotCast` log since block 0 grows with the whole election, on every
request, and would let any client make the relayer's node do that work at will.
"""

from web3 import Web3

from veche.chain.election import ElectionContract


def _first_block_after(w3: Web3, timestamp: int, latest: int) -> int:
    """The lowest block number whose timestamp is above `timestamp` (latest + 1 if none)."""
    low, high = 0, latest + 1
    while low < high:
        middle = (low + high) // 2
        if int(w3.eth.get_block(middle)["timestamp"]) > timestamp:
            high = middle
        else:
            low = middle + 1
    return low


def blocks_at(w3: Web3, timestamp: int) -> tuple[int, int] | None:
    """The first and last block numbers whose timestamp is exactly `timestamp`, or None."""
    latest = int(w3.eth.block_number)
    first = _first_block_after(w3, timestamp - 1, latest)
    last = _first_block_after(w3, timestamp, latest) - 1
    return (first, last) if first <= last else None


def counted_transaction(
    contract: ElectionContract, nullifier: int, cast_at: int
) -> tuple[str, int] | None:
    """`(transaction hash, block number)` of the ballot counted for `nullifier`, cast at
    `cast_at`; None if it cannot be found (a node that pruned those logs)."""
    blocks = blocks_at(contract.w3, cast_at)
    if blocks is None:
        return None
    logs = contract.contract.events.BallotCast.get_logs(
        argument_filters={"nullifier": nullifier}, from_block=blocks[0], to_block=blocks[1]
    )
    if not logs:
        return None
    return logs[-1]["transactionHash"].to_0x_hex(), int(logs[-1]["blockNumber"])
