"""The registers replayed from their logs: who added whom, when, within which quota, and the
root logged after every batch.

The contract refuses a member added outside the registration window, by a registrar without
quota in the district or while suspended, or a repeated person tag; the recount
checks each of these from the logs rather than trusting that it did, and checks that the root
logged with each batch is the root of the register as it then stood.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from veche.crypto.errors import CryptoError
from veche.crypto.imt import LeanIMT
from veche.crypto.imt_parallel import build_registers
from veche.model.calendar import Calendar
from veche.protocol.rules import registers_from_members
from veche.recount.scan import Member, RegistrarChange, Scan


@dataclass(frozen=True)
class Registers:
    """Each district's rebuilt register, and how many members each registrar added where."""

    trees: list[LeanIMT]
    used: dict[tuple[str, int], int]


def replay_registers(
    scan: Scan,
    district_count: int,
    calendar: Calendar,
    discrepancies: list[str],
    *,
    workers: int | None = None,
) -> Registers:
    """Rebuilds every register from `scan` and appends to `discrepancies` every rule the logs
    show broken."""
    used = _replay_grants(scan.members, scan.registrars, scan.timestamps, calendar, discrepancies)
    # A commitment may repeat (its identity has one nullifier, hence one vote: see
    # docs/PROTOCOL.md, Registration); a person's tag may not.
    seen_tags: set[str] = set()
    for member in scan.members:
        if member.tag in seen_tags:
            discrepancies.append(f"person tag {member.tag} is registered twice")
        seen_tags.add(member.tag)
    leaves, gaps = registers_from_members(
        ((m.district, m.position, m.commitment) for m in scan.members), district_count
    )
    discrepancies.extend(str(gap) for gap in gaps)
    try:
        trees = build_registers(leaves, workers)
    except CryptoError as error:  # a leaf the contract would have refused (zero, >= r)
        discrepancies.append(f"a register holds a leaf the contract refuses: {error}")
        trees = [LeanIMT() for _ in leaves]
    _check_batch_roots(scan.members, trees, district_count, discrepancies)
    return Registers(trees, used)


def _replay_grants(
    members: Sequence[Member],
    changes: Sequence[RegistrarChange],
    timestamps: dict[int, int],
    calendar: Calendar,
    discrepancies: list[str],
) -> dict[tuple[str, int], int]:
    """Replays quotas, suspensions and the registration window in chain order."""
    quota: dict[tuple[str, int], int] = {}
    used: dict[tuple[str, int], int] = defaultdict(int)
    suspended: set[str] = set()
    events: list[tuple[int, int, Member | RegistrarChange]] = [
        *((m.block, m.log, m) for m in members),
        *((c.block, c.log, c) for c in changes),
    ]
    events.sort(key=lambda event: (event[0], event[1]))
    for block, _, event in events:
        moment = timestamps[block]
        if isinstance(event, RegistrarChange):
            # Grants in the first block come from the constructor, before any window opens.
            from_constructor = event.kind == "authorized" and block == events[0][0]
            if moment >= calendar.registration_end and not from_constructor:
                discrepancies.append(
                    f"registrar {event.registrar} was {event.kind} at {moment}, after "
                    f"registration ended ({calendar.registration_end})"
                )
            if event.kind == "authorized":
                quota[(event.registrar, event.district)] = event.quota
            elif event.kind == "suspended":
                suspended.add(event.registrar)
            else:
                suspended.discard(event.registrar)
            continue
        key = (event.registrar, event.district)
        if not calendar.registration_start <= moment < calendar.registration_end:
            discrepancies.append(
                f"member {event.position} of district {event.district} was added at {moment}, "
                f"outside registration [{calendar.registration_start}, "
                f"{calendar.registration_end})"
            )
        if event.registrar in suspended:
            discrepancies.append(
                f"suspended registrar {event.registrar} added member {event.position} of "
                f"district {event.district}"
            )
        used[key] += 1
        if used[key] > quota.get(key, 0):
            discrepancies.append(
                f"registrar {event.registrar} added {used[key]} members to district "
                f"{event.district}, beyond its quota of {quota.get(key, 0)}"
            )
    return dict(used)


def _check_batch_roots(
    members: Sequence[Member], trees: Sequence[LeanIMT], count: int, discrepancies: list[str]
) -> None:
    """Every batch (a run of one transaction's members in one district) logs the root after
    it: that must be the root of the register's first `position + 1` leaves."""
    for i, member in enumerate(members):
        last_of_batch = i + 1 == len(members) or (
            (members[i + 1].tx, members[i + 1].district, members[i + 1].root)
            != (member.tx, member.district, member.root)
        )
        if not last_of_batch or not 0 <= member.district < count:
            continue
        tree = trees[member.district]
        if member.position >= tree.size:
            continue  # reported as an index discrepancy already
        if tree.prefix_root(member.position + 1) != member.root:
            discrepancies.append(
                f"district {member.district}: the root logged after member {member.position} "
                f"({member.root}) is not the register's root then "
                f"({tree.prefix_root(member.position + 1)})"
            )
