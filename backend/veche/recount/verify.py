"""Every ballot's proof, verified on every core: batches of random-linear-combination checks,
bisected to name the invalid ones.

A proof's validity depends only on the ballot itself (its proof, root, nullifier, choice,
revision, district and the election's scope), never on other ballots, so all proofs are checked
first, in parallel, and the ballot box then replays the ballots in chain order with the
verdicts. Nothing is memoised: a proof that appears twice is parsed and checked twice.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from veche.crypto.groth16 import VerifyingKey, find_invalid, parse_packed

CHUNK = 1_024
"""Proofs a worker checks in one batch (and bisects, if the batch fails)."""

Item = tuple[Sequence[int], Sequence[int]]
"""A packed proof (eight numbers) and its four public signals."""

_worker_key: VerifyingKey | None = None


def _start_worker(key_path: str) -> None:
    global _worker_key
    _worker_key = VerifyingKey.load(key_path)


def _check_chunk(job: tuple[int, list[Item]]) -> tuple[int, int, list[int]]:
    offset, items = job
    assert _worker_key is not None
    parsed = [(parse_packed(packed), signals) for packed, signals in items]
    return offset, len(items), [offset + i for i in find_invalid(_worker_key, parsed)]


def invalid_positions(
    key_path: Path,
    items: Sequence[Item],
    *,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> set[int]:
    """The positions in `items` whose proof does not verify under the key at `key_path`.

    `workers` processes (default: every core) each take chunks of `CHUNK` proofs; `on_done`
    hears how many proofs each finished chunk held.
    """
    workers = workers or os.cpu_count() or 1
    jobs = _jobs(items)
    invalid: set[int] = set()
    if workers == 1 or len(items) <= CHUNK:
        _start_worker(str(key_path))
        results: Iterator[tuple[int, int, list[int]]] = map(_check_chunk, jobs)
        for _, done, bad in results:
            invalid.update(bad)
            if on_done is not None:
                on_done(done)
        return invalid
    # fork: the workers start with MCL and the code already loaded.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(str(key_path),)) as pool:
        for _, done, bad in pool.imap_unordered(_check_chunk, jobs):
            invalid.update(bad)
            if on_done is not None:
                on_done(done)
    return invalid


def _jobs(items: Sequence[Item]) -> Iterator[tuple[int, list[Item]]]:
    for offset in range(0, len(items), CHUNK):
        yield offset, list(items[offset : offset + CHUNK])
