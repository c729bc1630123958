"""`veche seats`: a seat allocation from a JSON file of votes, as a tool of its own.

The ballot order that breaks ties is the order of the parties in the file, so the same file
always gives the same seats.
"""

import argparse
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from veche.seats.allocate import allocate
from veche.seats.errors import SeatError
from veche.seats.methods import Method, TieBreak


class VotesFileError(SeatError):
    """The votes file cannot be read, is not JSON, or is not an object of party: votes."""


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds `veche seats` to the `veche` command."""
    p = subparsers.add_parser(
        "seats",
        help="allocate seats from a JSON file of votes",
        description="Prints {party: seats} as JSON; a seat decided by a tie is reported on "
        "stderr. Ties are broken by the ballot order, which is the order of the file's keys.",
    )
    p.add_argument("--method", required=True, choices=[m.value for m in Method])
    p.add_argument("--seats", required=True, type=int, help="number of seats to fill")
    p.add_argument(
        "--threshold", type=percent, metavar="PERCENT", help="minimum share of valid votes, in %%"
    )
    p.add_argument(
        "--tie-break",
        default=TieBreak.MORE_VOTES_THEN_BALLOT_ORDER.value,
        choices=[t.value for t in TieBreak],
    )
    p.add_argument("votes", metavar="VOTES.json", help='a JSON object {"party": votes, ...}')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Prints the allocation; returns 0 (errors are raised as `SeatError`)."""
    votes = read_votes(Path(args.votes))
    allocation = allocate(
        votes, args.seats, args.method, args.threshold, order=list(votes), tie_break=args.tie_break
    )
    print(json.dumps(dict(allocation.seats), indent=2, ensure_ascii=False))
    for note in allocation.ties:
        print(f"veche: tie: {note.describe()}", file=sys.stderr)
    return 0


def percent(text: str) -> Fraction:
    """A threshold as an exact fraction: `5`, `3.5` or `5%` (never through a float)."""
    try:
        value = Fraction(text.strip().removesuffix("%"))
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a percentage: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage must be from 0 to 100, got {text!r}")
    return value


def read_votes(path: Path) -> dict[str, int]:
    """`{party: votes}` from `path`, in file order; refuses repeated parties and non-integers."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise VotesFileError(f"cannot read {path}: {reason}") from exc
    try:
        data = json.loads(text, object_pairs_hook=_refuse_repeats)
    except json.JSONDecodeError as exc:
        raise VotesFileError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    except _RepeatedParty as exc:
        raise VotesFileError(f"{path}: party {exc.args[0]!r} appears twice") from exc
    if not isinstance(data, dict):
        raise VotesFileError(f'{path}: expected a JSON object {{"party": votes, ...}}')
    for party, count in data.items():
        if not isinstance(count, int) or isinstance(count, bool):
            raise VotesFileError(f"{path}: votes for {party!r} must be a whole number: {count!r}")
    return data


class _RepeatedParty(Exception):
    """Raised inside the JSON parser; turned into a `VotesFileError` that names the file."""


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object hook: a party listed twice is an error, not silently the last value."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _RepeatedParty(key)
        seen[key] = value
    return seen
