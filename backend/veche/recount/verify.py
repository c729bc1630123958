"""Every ballot's proof, verified on every core: batches of random-linear-combination checks,
bisected to name the invalid ones.

A proof's validity depends only on the ballot itself (its proof, root, nullifier, choice,
revision, district and the election's scope), never on other ballots, so proofs are checked as
they are read, in parallel, and the ballot box then replays the ballots in chain order with the
verdicts. Nothing is memoised: a proof that appears twice is parsed and checked twice.

`ProofStream` takes proofs one by one while the logs are being read and hands full chunks to
worker processes at once, with at most a few chunks in flight: reading and checking overlap,
and a million proofs are never all in memory (each leaves the reader as soon as its chunk is
sent).
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from veche.crypto.groth16 import VerifyingKey, find_invalid, parse_packed

CHUNK = 1_024
"""Proofs a worker checks in one batch (and bisects, if the batch fails)."""

AHEAD = 3
"""Chunks in flight per worker: enough to keep every core busy while the reader waits for the
node, few enough that memory stays bounded."""

Item = tuple[Sequence[int], Sequence[int]]
"""A packed proof (eight numbers) and its four public signals."""

Job = tuple[list[int], list[Item]]
"""Positions (whatever numbering the caller uses) and their items."""

_worker_key: VerifyingKey | None = None


def _start_worker(key_path: str) -> None:
    global _worker_key
    _worker_key = VerifyingKey.load(key_path)


def _check_chunk(job: Job) -> tuple[int, list[int]]:
    positions, items = job
    assert _worker_key is not None
    parsed = [(parse_packed(packed), signals) for packed, signals in items]
    return len(items), [positions[i] for i in find_invalid(_worker_key, parsed)]


class ProofStream:
    """Proofs checked while they arrive: `add` each (with its position), `finish` for the
    positions whose proof does not verify under the key at `key_path`.

    `workers` processes (default: every core; started at the first full chunk, while the
    reader's memory is still small) each take chunks of `CHUNK` proofs; `on_done` hears how
    many proofs each finished chunk held.
    """

    def __init__(
        self,
        key_path: Path,
        *,
        workers: int | None = None,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        self.key_path = str(key_path)
        self.workers = workers or os.cpu_count() or 1
        self.on_done = on_done
        self.invalid: set[int] = set()
        self.added = 0
        self.done = 0
        self._positions: list[int] = []
        self._items: list[Item] = []
        self._pool: Pool | None = None
        self._local = False
        self._pending: deque[AsyncResult[tuple[int, list[int]]]] = deque()

    def add(self, position: int, packed: Sequence[int], signals: Sequence[int]) -> None:
        self._positions.append(position)
        self._items.append((packed, signals))
        self.added += 1
        if len(self._items) >= CHUNK:
            self._send()

    def _send(self) -> None:
        if not self._items:
            return
        job: Job = (self._positions, self._items)
        self._positions, self._items = [], []
        if self.workers == 1:
            if not self._local:
                _start_worker(self.key_path)
                self._local = True
            self._collect(_check_chunk(job))
            return
        if self._pool is None:
            # fork: the workers start with MCL and the code already loaded.
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(
                self.workers, initializer=_start_worker, initargs=(self.key_path,)
            )
        self._pending.append(self._pool.apply_async(_check_chunk, (job,)))
        while len(self._pending) > AHEAD * self.workers:
            self._collect(self._pending.popleft().get())

    def _collect(self, result: tuple[int, list[int]]) -> None:
        count, bad = result
        self.invalid.update(bad)
        self.done += count
        if self.on_done is not None:
            self.on_done(count)

    def finish(self) -> set[int]:
        """Checks what is left and waits for every chunk; the invalid positions."""
        try:
            self._send()
            while self._pending:
                self._collect(self._pending.popleft().get())
        finally:
            self.close()
        return self.invalid

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def invalid_positions(
    key_path: Path,
    items: Iterable[Item],
    *,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> set[int]:
    """The positions in `items` (0, 1, ...) whose proof does not verify under the key at
    `key_path`, checked on `workers` processes (default: every core)."""
    items = list(items)
    stream = ProofStream(key_path, workers=1 if len(items) <= CHUNK else workers, on_done=on_done)
    for position, (packed, signals) in enumerate(items):
        stream.add(position, packed, signals)
    return stream.finish()
