"""The registers replayed from their logs: who added whom, when, within which quota, and the
root logged after every batch.

The contract refuses a member added outside the registration window, by a registrar without
quota in the district or while suspended, or a repeated person tag; the recount
checks each of these from the logs rather than trusting that it did, and checks that the root
logged with each batch is the root of the register as it then stood.

Replacements (`MemberReplaced`, a lost key) are replayed in chain order with the batches of
their district: each must fall in the registration window, carry at least the election's
number of approvals from registrars authorised and unsuspended at that moment, name the
commitment the leaf then held and the tag registered at that leaf, and log the root the
register then has. Districts without replacements are rebuilt in parallel at once.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from veche.crypto.errors import CryptoError
from veche.crypto.imt import LeanIMT
from veche.crypto.imt_parallel import build_registers
from veche.model.calendar import Calendar
from veche.protocol.rules import registers_from_members
from veche.recount.scan import Member, RegistrarChange, Replacement, Scan


@dataclass(frozen=True)
class Registers:
    """Each district's rebuilt register, and how many members each registrar added where."""

    trees: list[LeanIMT]
    used: dict[tuple[str, int], int]
    replacements: dict[str, int]
    """Replacements each registrar approved (lower-case address), as the contract counts them."""


def replay_registers(
    scan: Scan,
    district_count: int,
    calendar: Calendar,
    discrepancies: list[str],
    *,
    workers: int | None = None,
    recovery_approvals: int | None = None,
) -> Registers:
    """Rebuilds every register from `scan` and appends to `discrepancies` every rule the logs
    show broken (`recovery_approvals`: the contract's threshold, checked if given)."""
    used, approved = _replay_grants(
        scan.members,
        scan.replacements,
        scan.registrars,
        scan.timestamps,
        calendar,
        discrepancies,
        recovery_approvals,
    )
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
    replaced = {r.district for r in scan.replacements}
    try:
        trees = build_registers(
            [[] if d in replaced else register for d, register in enumerate(leaves)], workers
        )
    except CryptoError as error:  # a leaf the contract would have refused (zero, >= r)
        discrepancies.append(f"a register holds a leaf the contract refuses: {error}")
        trees = [LeanIMT() for _ in leaves]
    _check_batch_roots(
        [m for m in scan.members if m.district not in replaced], trees, district_count,
        discrepancies,
    )  # fmt: skip
    for district in sorted(replaced):
        if 0 <= district < district_count:
            trees[district] = _replay_with_replacements(district, scan, discrepancies)
        else:
            discrepancies.append(f"a replacement names district {district}, which does not exist")
    return Registers(trees, used, approved)


def _replay_with_replacements(district: int, scan: Scan, discrepancies: list[str]) -> LeanIMT:
    """District `district`'s register replayed event by event in chain order: batches of
    members and replacements, each checked against the root it logged."""
    events: list[tuple[int, int, Member | Replacement]] = sorted(
        [
            *((m.block, m.log, m) for m in scan.members if m.district == district),
            *((r.block, r.log, r) for r in scan.replacements if r.district == district),
        ],
        key=lambda event: (event[0], event[1]),
    )
    tags = {m.position: m.tag for m in scan.members if m.district == district}
    tree = LeanIMT()
    batch: list[Member] = []
    for number, (_, _, event) in enumerate(events):
        if isinstance(event, Member):
            batch.append(event)
            following = events[number + 1][2] if number + 1 < len(events) else None
            if isinstance(following, Member) and (following.tx, following.root) == (
                event.tx,
                event.root,
            ):
                continue
            positions = [m.position for m in batch]
            if positions != list(range(tree.size, tree.size + len(batch))):
                return tree  # reported as a gap already: the register cannot be replayed
            try:
                tree.insert_many([m.commitment for m in batch])
            except CryptoError as error:
                discrepancies.append(
                    f"district {district} holds a leaf the contract refuses: {error}"
                )
                return tree
            batch = []
            if tree.root != event.root:
                discrepancies.append(
                    f"district {district}: the root logged after member {event.position} "
                    f"({event.root}) is not the register's root then ({tree.root})"
                )
            continue
        where = f"replacement of leaf {event.position} of district {district}"
        if not 0 <= event.position < tree.size:
            discrepancies.append(f"{where}: the register then had {tree.size} leaves")
            continue
        if tree.leaf(event.position) != event.old:
            discrepancies.append(
                f"{where}: it names old commitment {event.old}, the leaf held "
                f"{tree.leaf(event.position)}"
            )
        if tags.get(event.position) != event.tag:
            discrepancies.append(
                f"{where}: tag {event.tag} is not the tag registered at that leaf "
                f"({tags.get(event.position)})"
            )
        try:
            tree.replace(event.position, event.new)
        except CryptoError as error:
            discrepancies.append(f"{where}: {error}")
            continue
        if tree.root != event.root:
            discrepancies.append(
                f"{where}: the root it logged ({event.root}) is not the register's root then "
                f"({tree.root})"
            )
    return tree


def _replay_grants(
    members: Sequence[Member],
    replacements: Sequence[Replacement],
    changes: Sequence[RegistrarChange],
    timestamps: dict[int, int],
    calendar: Calendar,
    discrepancies: list[str],
    recovery_approvals: int | None,
) -> tuple[dict[tuple[str, int], int], dict[str, int]]:
    """Replays quotas, suspensions, the registration window and the approvals of replacements
    in chain order."""
    quota: dict[tuple[str, int], int] = {}
    used: dict[tuple[str, int], int] = defaultdict(int)
    approved: dict[str, int] = defaultdict(int)
    authorized: set[str] = set()
    suspended: set[str] = set()
    events: list[tuple[int, int, Member | Replacement | RegistrarChange]] = [
        *((m.block, m.log, m) for m in members),
        *((r.block, r.log, r) for r in replacements),
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
                authorized.add(event.registrar)
            elif event.kind == "suspended":
                suspended.add(event.registrar)
            else:
                suspended.discard(event.registrar)
            continue
        if isinstance(event, Replacement):
            _check_replacement(
                event, moment, calendar, authorized, suspended, recovery_approvals, discrepancies
            )
            for approver in event.approvers:
                approved[approver] += 1
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
    return dict(used), dict(approved)


def _check_replacement(
    event: Replacement,
    moment: int,
    calendar: Calendar,
    authorized: set[str],
    suspended: set[str],
    required: int | None,
    discrepancies: list[str],
) -> None:
    where = f"the replacement of leaf {event.position} of district {event.district}"
    if not calendar.registration_start <= moment < calendar.registration_end:
        discrepancies.append(f"{where} happened at {moment}, outside registration")
    if required is not None and len(event.approvers) < max(required, 2):
        discrepancies.append(
            f"{where} has {len(event.approvers)} approvals, the election requires {required}"
        )
    if len(set(event.approvers)) != len(event.approvers):
        discrepancies.append(f"{where} counts one registrar twice: {event.approvers}")
    for approver in event.approvers:
        if approver not in authorized:
            discrepancies.append(f"{where} was approved by {approver}, not a registrar")
        elif approver in suspended:
            discrepancies.append(f"{where} was approved by {approver}, a suspended registrar")


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
