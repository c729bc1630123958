"""Registers of up to 2^20 members rebuilt on every core.

A LeanIMT splits cleanly at powers of two: the nodes over leaves `[k·2^c, (k+1)·2^c)` depend
on those leaves alone, a last, partial block included (its top node is carried up unchanged, as
the whole tree would carry it). So each block of `2^c` leaves is built by a worker process, and
the few levels above the blocks are hashed here. The result is the same `LeanIMT`, node for
node, as `LeanIMT(leaves)` (tested).
"""

import multiprocessing
import os
from collections.abc import Sequence

from veche.crypto.imt import LeanIMT, _depth_for, check_leaves
from veche.crypto.poseidon import poseidon2_unchecked

BLOCK_LEAVES = 2**16
"""Leaves in one worker's block (65,536: about 1.7 s of hashing on this machine's cores)."""

POOLED_FROM = 2_048
"""Smaller registers are built in the calling process, while the workers build the others
(a diaspora's long tail of small districts is most of the registers, not of the leaves)."""


def _parents(children: list[int]) -> list[int]:
    """The level above `children`: pairs hashed, a last node without a sibling carried up."""
    hash2 = poseidon2_unchecked
    parents = [hash2(children[i], children[i + 1]) for i in range(0, len(children) - 1, 2)]
    if len(children) & 1:
        parents.append(children[-1])
    return parents


def _build(leaves: list[int]) -> list[list[int]]:
    """The levels of the LeanIMT of `leaves` (leaves must be checked already)."""
    levels = [leaves]
    for _ in range(_depth_for(len(leaves))):
        levels.append(_parents(levels[-1]))
    return levels


def build_registers(
    registers: Sequence[Sequence[int]], workers: int | None = None
) -> list[LeanIMT]:
    """One `LeanIMT` per leaf list in `registers`, blocks of every register spread over
    `workers` processes (default: every core). Raises like `LeanIMT(leaves)` for a bad leaf."""
    for leaves in registers:
        check_leaves(leaves)
    workers = workers or os.cpu_count() or 1
    # Every register of POOLED_FROM leaves or more, cut in blocks, goes to the workers, the
    # largest blocks first (so that no core is left with a big one at the end); the rest is
    # built here meanwhile.
    jobs = sorted(
        (
            (number, start, list(leaves[start : start + BLOCK_LEAVES]))
            for number, leaves in enumerate(registers)
            if len(leaves) >= POOLED_FROM and workers > 1
            for start in range(0, len(leaves), BLOCK_LEAVES)
        ),
        key=lambda job: -len(job[2]),
    )
    pooled = {number for number, _, _ in jobs}
    trees: dict[int, LeanIMT] = {}
    if jobs:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            pending = pool.map_async(_build, [leaves for _, _, leaves in jobs], chunksize=1)
            for number, leaves in enumerate(registers):
                if number not in pooled:
                    trees[number] = LeanIMT.from_levels(_build(list(leaves)))
            built = pending.get()
        blocks: dict[int, list[tuple[int, list[list[int]]]]] = {}
        for (number, start, _), levels in zip(jobs, built, strict=True):
            blocks.setdefault(number, []).append((start, levels))
        for number, parts in blocks.items():
            parts.sort(key=lambda part: part[0])
            whole = parts[0][1] if len(parts) == 1 else _join([levels for _, levels in parts])
            trees[number] = LeanIMT.from_levels(whole)
    for number, leaves in enumerate(registers):
        if number not in trees:
            trees[number] = LeanIMT.from_levels(_build(list(leaves)))
    return [trees[number] for number in range(len(registers))]


def _join(blocks: list[list[list[int]]]) -> list[list[int]]:
    """The levels of the whole tree from its blocks' levels (all blocks but the last full)."""
    top = _depth_for(BLOCK_LEAVES)
    levels: list[list[int]] = []
    for level in range(top + 1):
        joined: list[int] = []
        for block in blocks:
            # A partial last block is shallower: its top node is carried up unchanged.
            joined.extend(block[level] if level < len(block) else block[-1])
        levels.append(joined)
    size = len(levels[0])
    while len(levels) - 1 < _depth_for(size):
        children = levels[-1]
        count = len(children)
        parents = [
            poseidon2_unchecked(children[i], children[i + 1]) for i in range(0, count - 1, 2)
        ]
        if count & 1:
            parents.append(children[-1])
        levels.append(parents)
    return levels
