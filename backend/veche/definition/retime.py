"""Moves a definition file's calendar to other dates, for demos and tests on a local chain.

A real election publishes its dates long before; a demo on a fresh chain must start now. This
rewrites only the calendar lines of the TOML text, so the file stays the human-written one and
its hash is still the hash of exactly what the recount reads.
"""

import re

from veche.definition.calendar import CALENDAR_KEYS, iso
from veche.errors import VecheError


class RetimeError(VecheError):
    """The definition text does not have exactly one line for each calendar key."""


def retime(text: str, moments: dict[str, int]) -> str:
    """`text` with each calendar key in `moments` set to that Unix time (as ISO-8601 UTC)."""
    for key, moment in moments.items():
        if key not in CALENDAR_KEYS:
            raise RetimeError(f"{key} is not a calendar key ({', '.join(CALENDAR_KEYS)})")
        # The value is a bare TOML date-time: no backslashes, so it is safe as a replacement.
        text, found = re.subn(rf"^(\s*{key}\s*=\s*)\S+", rf"\g<1>{iso(moment)}", text, flags=re.M)
        if found != 1:
            raise RetimeError(f"the definition has {found} lines for {key}, expected one")
    return text


def starting_at(text: str, now: int, hour: int = 3600) -> str:
    """`text` with registration open from `now`, then one hour each for registration, voting
    and appeals."""
    return retime(
        text,
        {
            "registration_start": now,
            "registration_end": now + hour,
            "voting_start": now + hour,
            "voting_end": now + 2 * hour,
            "appeals_end": now + 3 * hour,
            "result": now + 3 * hour + 60,
        },
    )
