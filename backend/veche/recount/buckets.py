"""Ballot buckets: where each ballot of the election is, grouped by the low bits of its
nullifier, so that a voter's page can find its own ballots without downloading a million and
without telling anyone its nullifier.

The page computes its nullifier, asks for the one bucket its low `bits` bits name (one of
2^bits: at a million ballots and 10 bits, about a thousand ballots share it), finds its entries
locally, then reads the logs of the blocks they point to (every log of the election in those
blocks, filtered on the device) and believes only those logs: a bucket host can leave a ballot
out (the page then says it found none: the voter can ask another host or download everything),
never invent or alter one. Written from chain data alone (`veche recount --buckets DIR`).

Files: `index.json` (format, chain, election, block, bits, ballot count) and, for each bucket
`b` in 0 .. 2^bits - 1, `ballots-<b as hex, bits/4 digits rounded up>.json`: the same header
and `ballots`, a list of `[nullifier (decimal string), block]` in chain order.
"""

import json
from typing import Any

from veche.errors import VecheError

INDEX_FORMAT = "veche-ballot-buckets/1"
BUCKET_FORMAT = "veche-ballot-bucket/1"
MAX_BITS = 16


class BucketError(VecheError):
    """A bucket size out of range."""


def bucket_of(nullifier: int, bits: int) -> int:
    """The bucket a nullifier falls in: its low `bits` bits."""
    return nullifier & ((1 << bits) - 1)


def bucket_file(bucket: int, bits: int) -> str:
    return f"ballots-{bucket:0{(bits + 3) // 4}x}.json"


def bucket_files(
    ballots: list[tuple[int, int]],
    *,
    bits: int,
    chain_id: int,
    election: str,
    block: int,
) -> dict[str, bytes]:
    """Every bucket file (empty ones too: which files exist says nothing) and the index, by
    name, for `ballots`: `(nullifier, block)` in chain order, read up to `block`."""
    if not 0 <= bits <= MAX_BITS:
        raise BucketError(f"--bucket-bits must be between 0 and {MAX_BITS}, got {bits}")
    header: dict[str, Any] = {"chainId": chain_id, "election": election, "block": block,
                              "bits": bits}  # fmt: skip
    grouped: list[list[list[Any]]] = [[] for _ in range(1 << bits)]
    for nullifier, at in ballots:
        grouped[bucket_of(nullifier, bits)].append([str(nullifier), at])
    files = {}
    for bucket, entries in enumerate(grouped):
        body = {"format": BUCKET_FORMAT, **header, "bucket": bucket, "ballots": entries}
        files[bucket_file(bucket, bits)] = (json.dumps(body, separators=(",", ":")) + "\n").encode()
    index = {"format": INDEX_FORMAT, **header, "ballots": len(ballots)}
    files["index.json"] = (json.dumps(index, indent=2) + "\n").encode()
    return files
