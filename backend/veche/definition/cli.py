"""`veche definition check|show|hash|canonical FILE`: read an election definition as a person
would, and write the canonical form a web page checks against the chain."""

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

from eth_utils import keccak

from veche.definition.calendar import ElectionCalendar, iso
from veche.definition.canonical import canonical_json, definition_hash
from veche.definition.model import ElectionDefinition
from veche.definition.parse import check, load
from veche.errors import VecheError


class MomentError(VecheError):
    """`--now` is neither an ISO-8601 date-time with a timezone nor Unix seconds."""


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds `veche definition` and its subcommands to the `veche` command."""
    p = subparsers.add_parser("definition", help="check or show an election definition (TOML)")
    sub = p.add_subparsers(dest="definition_command", required=True)

    check_cmd = sub.add_parser(
        "check", help="report every problem (FILE:LINE: key: message), or summarise the election"
    )
    check_cmd.add_argument("file")
    check_cmd.set_defaults(func=run_check)

    show = sub.add_parser("show", help="print the calendar and the phase at a moment")
    show.add_argument("file")
    show.add_argument(
        "--now", help="ISO-8601 date-time with timezone, or Unix seconds (default: now)"
    )
    show.set_defaults(func=run_show)

    hash_cmd = sub.add_parser("hash", help="print the definition hash stored on chain (0x...)")
    hash_cmd.add_argument("file")
    hash_cmd.set_defaults(func=run_hash)

    canonical = sub.add_parser(
        "canonical",
        help="write the canonical JSON (what the hash covers; the voter's page checks it)",
    )
    canonical.add_argument("file")
    canonical.add_argument("--out", required=True, help="where to write definition.json")
    canonical.set_defaults(func=run_canonical)


def run_check(args: argparse.Namespace) -> int:
    """Exit 1 and one line per problem if there is any; else a summary and exit 0."""
    problems = check(args.file)
    for problem in problems:
        print(problem.render(args.file))
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{args.file}: {len(problems)} {noun}", file=sys.stderr)
        return 1
    print(summary(args.file, load(args.file)))
    return 0


def run_show(args: argparse.Namespace) -> int:
    definition = load(args.file)
    now = parse_moment(args.now) if args.now is not None else int(time.time())
    print(definition.title)
    print(calendar_table(definition.calendar))
    phase = definition.calendar.phase(now)
    until = definition.calendar.phase_end(now)
    print(f"At {iso(now)}: {phase.value}" + (f" (until {iso(until)})" if until else ""))
    return 0


def run_hash(args: argparse.Namespace) -> int:
    print("0x" + definition_hash(load(args.file)).hex())
    return 0


def run_canonical(args: argparse.Namespace) -> int:
    from veche.cli.common import write_atomically

    data = canonical_json(load(args.file))
    write_atomically(Path(args.out), data)
    print(f"{args.out}: {len(data)} bytes, keccak256 0x{keccak(data).hex()}")
    return 0


def parse_moment(text: str) -> int:
    """Unix seconds from `--now`: an integer, or ISO-8601 with a timezone."""
    if text.strip().lstrip("-").isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MomentError(f"--now: not an ISO-8601 date-time: {text!r}") from None
    if moment.tzinfo is None:
        raise MomentError(f"--now: add a timezone (for example {text}Z): {text!r}")
    return int(moment.timestamp())


def calendar_table(calendar: ElectionCalendar, indent: str = "  ") -> str:
    times = calendar.times()
    rows = [
        ("registration", times["registration_start"], times["registration_end"]),
        ("voting", times["voting_start"], times["voting_end"]),
        ("appeals", times["voting_end"], times["appeals_end"]),
    ]
    lines = [f"{indent}{name:<13}{iso(start)}  to  {iso(end)}" for name, start, end in rows]
    lines.append(f"{indent}{'result':<13}{iso(times['result'])}")
    return "\n".join(lines)


def summary(file: str, definition: ElectionDefinition) -> str:
    threshold = definition.threshold_percent
    rules = f"{definition.method.value}, threshold " + (
        f"{float(threshold):g}%" if threshold is not None else "none"
    )
    national = definition.national
    lines = [
        f"{file}: no problems",
        f"{definition.title}: {definition.total_seats} seats",
        f"  rules        {rules}, ties: {definition.tie_break.value}",
        f"  districts    {len(definition.districts)}, {definition.district_seats} seats",
    ]
    for d in definition.districts:
        lines.append(
            f"    {d.id:<24}{d.seats:>3} seats, {len(d.lists)} lists, "
            f"opens with >= {d.min_registered} registered  ({d.name})"
        )
    if national is not None:
        lines.append(f"  national     {national.seats} seats, {len(national.lists)} lists")
    lines.append("  calendar")
    lines.append(calendar_table(definition.calendar, indent="    "))
    pinned = definition.verification_key_sha256
    lines.append(
        f"  ballot key   sha256 {pinned}"
        if pinned
        else "  ballot key   not pinned (development key only; production refuses it)"
    )
    if definition.election_key_sha256 is not None:
        digest = definition.election_key_sha256
        lines.append(f"  ballots      encrypted, election key sha256 {digest}")
    else:
        lines.append("  ballots      plain (each ballot's choice is public)")
    lines.append(f"  hash         0x{definition_hash(definition).hex()}")
    return "\n".join(lines)
