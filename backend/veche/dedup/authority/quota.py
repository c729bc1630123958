"""Each authority holds registrars to their quotas: it counts the evaluations it makes for each
registrar of each election and refuses beyond that registrar's quota plus a small margin.

Without it a registrar (or whoever holds its key) could have a quorum evaluate a known person's
attributes at will and so test whether that person is registered. With it, every evaluation is
one of the registrar's own registrations (or one of a few retries), and the public counts show
what each registrar asked for. Only counts are kept and published: never a blinded point, a
person or a time.
"""

from __future__ import annotations

import json
import math
import os
import threading
from pathlib import Path

from veche.dedup.errors import DedupError

MARGIN_FRACTION = 0.05
MARGIN_MINIMUM = 10
"""Retries after a network failure cost evaluations that register nobody: 5%, at least 10."""


def allowance(quota: int) -> int:
    """The most evaluations an authority makes for a registrar whose total quota is `quota`."""
    if quota <= 0:
        return 0
    return quota + max(MARGIN_MINIMUM, math.ceil(quota * MARGIN_FRACTION))


class QuotaExhausted(DedupError):
    """A registrar has used its quota of evaluations (plus the margin) at this authority."""


class EvaluationCounts:
    """Counts by election and registrar, kept in a JSON file so that a restart resets nothing."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, int]] = {}
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text())
                self._counts = {
                    str(e): {str(r): int(n) for r, n in by.items()} for e, by in data.items()
                }
            except (OSError, ValueError, AttributeError, TypeError) as error:
                raise DedupError(f"cannot read the evaluation counts {path}: {error}") from None

    def take(self, election: str, registrar: str, quota: int) -> int:
        """Counts one more evaluation, or raises `QuotaExhausted` (counting nothing)."""
        with self._lock:
            done = self._counts.get(election, {}).get(registrar, 0)
            limit = allowance(quota)
            if done >= limit:
                raise QuotaExhausted(
                    f"{registrar} has had {done} evaluations for {election}: its quota of "
                    f"{quota} plus a margin of {limit - quota}"
                )
            self._counts.setdefault(election, {})[registrar] = done + 1
            self._save()
            return done + 1

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {e: dict(sorted(by.items())) for e, by in sorted(self._counts.items())}

    def _save(self) -> None:
        if self._path is None:
            return
        temporary = self._path.with_suffix(".tmp")
        with temporary.open("w") as handle:
            json.dump(self._counts, handle, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self._path)
