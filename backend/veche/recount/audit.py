"""The 2% report: every distortion the public data can show, their total against 2% of turnout,
and per district the seat-stability margin.

The requirements accept a distortion of at most 2% of turnout and ask the system to be able to
show that bound. This module counts, from chain data and from counts that relayers and
registrars publish themselves:

- registrations above a registrar's quota (the contract refuses them; a recount checks),
- registrations made by a registrar while suspended (likewise), and every registration by a
  registrar that is suspended at the end (made before the suspension, now doubtful),
- replaced commitments (always 0: Veche has no identity recovery yet, so nothing replaces one),
- the dedup collision estimate: different people with the same normalized attributes, of whom
  all but one are refused as already registered (about 15 per million registered, from the
  model in the README's "Collision estimate"), set against the duplicates registrars report
  refusing (an upper bound: it includes real attempts to register twice); the larger counts,
  and the chance that two people's 256-bit tags coincide by accident is shown too,
- the ballots of districts excluded on appeal,
- ballots refused by relayers, as the relayers report them (all counted: a recount cannot tell
  an honest voter turned away from an attack refused),
- invalid ballot records on chain (rejected by the rules).

It also says plainly what it cannot see. None of this is part of the hashed result record: the
figures from chain data are recomputable by anyone, the reported ones are only as good as whoever
reports them.
"""

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veche.definition.model import ElectionDefinition
from veche.errors import VecheError
from veche.recount.recount import RecountResult
from veche.recount.scan import Member, RegistrarChange
from veche.seats.stability import stability_margin

FORMAT = "veche-audit/1"
LIMIT_PERCENT = 2
COLLISIONS_PER_MILLION = 15
"""People wrongly refused as already registered, per million registered: the README's model
(same normalized full name, birth date and birthplace), allowing for correlations."""

UNSEEN = (
    "fictitious-people-within-quota",
    "one-person-registered-twice-under-different-attributes",
    "eligible-people-turned-away-unreported",
    "coerced-or-bought-ballots",
    "stolen-identity-secrets",
)
"""Distortions no public data shows (rendered as sentences by `veche.recount.report`)."""


class BadReports(VecheError):
    """The relayers' and registrars' published counts are not in the expected form."""


@dataclass(frozen=True)
class Reports:
    """Counts that relayers and registrars publish about what they refused.

    The file is JSON: `{"relayers": {"<name>": {"<reason code>": <ballots>}}, "registrars":
    {"<name>": {"duplicate_person": <people>}}}`; either part may be missing.
    """

    relayer_refusals: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    registrar_duplicates: Mapping[str, int] = field(default_factory=dict)
    given: bool = False

    @classmethod
    def load(cls, path: Path) -> "Reports":
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise BadReports(f"{path}: cannot be read ({error.strerror})") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadReports(f"{path}: not JSON ({error})") from None
        if not isinstance(document, dict) or set(document) - {"relayers", "registrars"}:
            raise BadReports(f'{path}: expected an object with "relayers" and/or "registrars"')
        relayers = _counts(path, document.get("relayers", {}), "relayers")
        registrars = _counts(path, document.get("registrars", {}), "registrars")
        for name, counts in registrars.items():
            if set(counts) - {"duplicate_person"}:
                raise BadReports(
                    f'{path}: registrars.{name}: only "duplicate_person" is counted, got '
                    f"{sorted(counts)}"
                )
        return cls(
            relayer_refusals=relayers,
            registrar_duplicates={
                name: counts.get("duplicate_person", 0) for name, counts in registrars.items()
            },
            given=True,
        )


def _counts(path: Path, value: Any, part: str) -> dict[str, dict[str, int]]:
    if not isinstance(value, dict):
        raise BadReports(f"{path}: {part} must be an object of names, got {type(value).__name__}")
    counts: dict[str, dict[str, int]] = {}
    for name, reasons in value.items():
        if not isinstance(reasons, dict):
            raise BadReports(f"{path}: {part}.{name} must be an object of reason codes")
        for reason, number in reasons.items():
            if not isinstance(number, int) or isinstance(number, bool) or number < 0:
                raise BadReports(
                    f"{path}: {part}.{name}.{reason} must be a whole number >= 0, got {number!r}"
                )
        counts[name] = dict(reasons)
    return counts


@dataclass(frozen=True)
class Registrations:
    """What the registrar and member logs show, replayed in chain order."""

    above_quota: Counter[int]
    """Per district: members added beyond the registrar's quota at the time."""
    while_suspended: Counter[int]
    """Per district: members added by a registrar while it was suspended."""
    by_suspended: Counter[int]
    """Per district: members added (at any time) by registrars suspended at the end."""
    suspended: tuple[str, ...]
    """Registrars suspended at the end."""


def replay_registrations(
    changes: Sequence[RegistrarChange], members: Sequence[Member]
) -> Registrations:
    """Replays quota changes, suspensions and registrations in chain order."""
    quota: dict[tuple[str, int], int] = {}
    used: Counter[tuple[str, int]] = Counter()
    suspended: set[str] = set()
    above: Counter[int] = Counter()
    during: Counter[int] = Counter()
    events: list[tuple[int, int, RegistrarChange | Member]] = [
        *((c.block, c.log, c) for c in changes),
        *((m.block, m.log, m) for m in members),
    ]
    for _, _, event in sorted(events, key=lambda item: (item[0], item[1])):
        if isinstance(event, RegistrarChange):
            if event.kind == "authorized":
                quota[(event.registrar, event.district)] = event.quota
            elif event.kind == "suspended":
                suspended.add(event.registrar)
            elif event.kind == "reinstated":
                suspended.discard(event.registrar)
            continue
        key = (event.registrar, event.district)
        used[key] += 1
        if used[key] > quota.get(key, 0):
            above[event.district] += 1
        if event.registrar in suspended:
            during[event.district] += 1
    by_suspended: Counter[int] = Counter()
    for (registrar, district), count in used.items():
        if registrar in suspended:
            by_suspended[district] += count
    return Registrations(above, during, by_suspended, tuple(sorted(suspended)))


def audit(
    definition: ElectionDefinition, counted: RecountResult, reports: Reports
) -> dict[str, Any]:
    """The 2% report for a recount, from the very logs it read (one block, no second fetch)."""
    if counted.scan is None:
        raise VecheError("the recount kept no record of the logs it read: cannot audit it")
    scan = counted.scan
    registrations = replay_registrations(scan.registrars, scan.members)
    return build_audit(definition, counted.result, registrations, reports)


def build_audit(
    definition: ElectionDefinition,
    result: Mapping[str, Any],
    registrations: Registrations,
    reports: Reports,
) -> dict[str, Any]:
    """The report from its parts (kept apart from the chain so it can be tested alone)."""
    ballots = result["ballots"]
    member_count = result["registered"]
    relayer_refused = sum(
        n for counts in reports.relayer_refusals.values() for n in counts.values()
    )
    duplicates = sum(reports.registrar_duplicates.values())
    items = {
        "registrationsAboveQuota": sum(registrations.above_quota.values()),
        "registrationsWhileSuspended": sum(registrations.while_suspended.values()),
        "registrationsBySuspendedRegistrars": sum(registrations.by_suspended.values()),
        "replacedCommitments": 0,
        "dedupCollisionEstimate": (COLLISIONS_PER_MILLION * member_count + 500_000) // 1_000_000,
        "duplicatesRefusedAsReported": duplicates,
        "excludedBallots": ballots["excluded"],
        "relayerRefusalsAsReported": relayer_refused,
        "invalidRecords": ballots["rejected"],
    }
    # Registrations while suspended are also by a registrar suspended at the end unless it was
    # reinstated; counting both could count one registration twice, so the total takes the
    # larger per district.
    doubtful = {
        number: max(registrations.while_suspended[number], registrations.by_suspended[number])
        for number in range(len(definition.districts))
    }
    total = (
        items["registrationsAboveQuota"]
        + sum(doubtful.values())
        + items["replacedCommitments"]
        + max(items["dedupCollisionEstimate"], duplicates)
        + items["excludedBallots"]
        + relayer_refused
        + items["invalidRecords"]
    )
    turnout = ballots["counted"] + ballots["excluded"]
    districts = []
    for number, (district, record) in enumerate(
        zip(definition.districts, result["districts"], strict=True)
    ):
        attributable = registrations.above_quota[number] + doubtful[number]
        margin = None if record["excluded"] else _margin(definition, record)
        districts.append(
            {
                "id": district.id,
                "registrationsAboveQuota": registrations.above_quota[number],
                "registrationsBySuspendedRegistrars": doubtful[number],
                "excludedBallots": record["ballots"]["excluded"],
                "margin": margin,
                "distortionsBelowMargin": None
                if margin is None
                else attributable < margin["ballots"],
            }
        )
    national = result.get("national")
    return {
        "format": FORMAT,
        "items": items,
        "suspendedRegistrars": list(registrations.suspended),
        "reportsGiven": reports.given,
        "relayerRefusals": {n: dict(c) for n, c in reports.relayer_refusals.items()},
        "tagCollisionChance": _tag_collision_chance(member_count),
        "total": total,
        "turnout": turnout,
        "limitPercent": LIMIT_PERCENT,
        "withinLimit": 100 * total <= LIMIT_PERCENT * turnout,
        "districts": districts,
        "nationalMargin": None if national is None else _margin(definition, national),
        "unseen": list(UNSEEN),
    }


def _margin(definition: ElectionDefinition, count: Mapping[str, Any]) -> dict[str, Any] | None:
    votes = {row["name"]: row["votes"] for row in count["lists"]}
    seats = count["seats"]
    margin = stability_margin(
        votes, seats, definition.method, definition.threshold_percent, definition.tie_break
    )
    if margin is None:
        return None
    return {"ballots": margin.ballots, "from": margin.source, "to": margin.target}


def _tag_collision_chance(people: int) -> float:
    """An upper bound on the chance that two of `people` distinct people get the same 256-bit
    tag by accident (the birthday bound n(n-1)/2 / 2^256)."""
    return people * (people - 1) / 2 / 2**256
