"""Ballot buckets: where each voter's ballot is, grouped by the low bits of its nullifier, so that
a voter's page can find its own ballot without downloading a million and without telling anyone
its nullifier.

The page computes its nullifier, asks for the one bucket its low `bits` bits name (one of
2^bits: at a million voters and 10 bits, about a thousand share it), finds its entry locally,
then reads the logs of the one block it points to (every log of the election in that block,
filtered on the device) and believes only those logs: a bucket host can leave a ballot out (the
page then says it found none: the voter can ask another host or download everything), never
invent or alter one. Written from chain data alone (`veche recount --buckets DIR`).

One entry a nullifier, whatever the chain holds for it: the block of its record that counts
(or, if none counts, of its last record) and how many other records carry the same nullifier.
An authorised relayer can post copies of a voter's record in thousands of blocks (the recorded
mode orders nothing); listing them all would make that voter's page download the whole ballot
stream. The copies are counted, not listed: the page warns when there are many and points to
the recount, which reports each one.

Files: `index.json` (format, chain, election, block, bits, record and nullifier counts) and,
for each bucket `b` in 0 .. 2^bits - 1, `ballots-<b as hex, bits/4 digits rounded up>.json`:
the same header and `ballots`, a list of `[nullifier (decimal string), block, other records]`
ordered by block.
"""

import json
from collections.abc import Iterable
from typing import Any

from veche.errors import VecheError

INDEX_FORMAT = "veche-ballot-buckets/2"
BUCKET_FORMAT = "veche-ballot-bucket/2"
MAX_BITS = 16


class BucketError(VecheError):
    """A bucket size out of range."""


def bucket_of(nullifier: int, bits: int) -> int:
    """The bucket a nullifier falls in: its low `bits` bits."""
    return nullifier & ((1 << bits) - 1)


def bucket_file(bucket: int, bits: int) -> str:
    return f"ballots-{bucket:0{(bits + 3) // 4}x}.json"


def bucket_files(
    locations: Iterable[tuple[int, int, int]],
    *,
    records: int,
    bits: int,
    chain_id: int,
    election: str,
    block: int,
) -> dict[str, bytes]:
    """Every bucket file (empty ones too: which files exist says nothing) and the index, by
    name, for `locations`: `(nullifier, block, other records)` once per nullifier, read up to
    `block` from `records` ballot records in all."""
    if not 0 <= bits <= MAX_BITS:
        raise BucketError(f"--bucket-bits must be between 0 and {MAX_BITS}, got {bits}")
    header: dict[str, Any] = {"chainId": chain_id, "election": election, "block": block,
                              "bits": bits}  # fmt: skip
    grouped: list[list[tuple[int, int, int]]] = [[] for _ in range(1 << bits)]
    nullifiers = 0
    for location in locations:
        grouped[bucket_of(location[0], bits)].append(location)
        nullifiers += 1
    files = {}
    for bucket, entries in enumerate(grouped):
        entries.sort(key=lambda entry: (entry[1], entry[0]))
        rows = [[str(nullifier), at, others] for nullifier, at, others in entries]
        body = {"format": BUCKET_FORMAT, **header, "bucket": bucket, "ballots": rows}
        files[bucket_file(bucket, bits)] = (json.dumps(body, separators=(",", ":")) + "\n").encode()
    index = {"format": INDEX_FORMAT, **header, "ballots": records, "nullifiers": nullifiers}
    files["index.json"] = (json.dumps(index, indent=2) + "\n").encode()
    return files
