"""Progress of a long recount on the terminal: stage, count done, rate and time left (tqdm).

Shown on standard error, and only when it is a terminal, so that output piped to a file or
`--json -` stays clean; `quiet` turns it off everywhere.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm


class Progress:
    """Stages of one run, each with its own bar."""

    def __init__(self, *, quiet: bool = False) -> None:
        self.enabled = not quiet and sys.stderr.isatty()

    @contextmanager
    def stage(self, name: str, total: int | None, unit: str) -> Iterator[Any]:
        """A bar for `name`; the caller calls `.update(n)` on what it yields."""
        bar = tqdm(
            total=total,
            desc=f"{name:<22}",
            unit=f" {unit}",
            unit_scale=True,
            disable=not self.enabled,
            file=sys.stderr,
            dynamic_ncols=True,
            leave=True,
        )
        try:
            yield bar
        finally:
            bar.close()
