"""The observers' summary (`veche recount --summary FILE`): what the observers' page shows,
worked out from the recount's scan of the chain up to one block, so that the page of a
million-voter election opens from a few hundred kilobytes instead of two million events.

Per district: registered voters, voters who voted (first ballots, revision 1), ballot records,
the register's root after its last registration, exclusion, and how registrations and first
ballots spread over the registration and voting windows (the same number of equal time slots
in each). Per registrar: its quotas and its registrations over time. Plus the exclusions, the
published result hash and the count of each event kind.

Nothing here needs trusting: the page (frontend/src/observer/summary.js) checks every total
against the others and the chain-held figures (block hash and time, each register's size,
root and exclusion, the number of voters, the result hash) at `block` before using it, then
reads newer blocks itself. The same folding rule is frontend/src/observer/tally.js; the browser
test that compares a page started from a summary with a page that read every event keeps the
two equal. It names no person, commitment or nullifier: counts only.
"""

from typing import Any

from veche.model.calendar import Calendar
from veche.recount.scan import Scan

FORMAT = "veche-observers-summary/1"
SLOTS = 48
"""Equal time slots per window (registration, voting): half-hour slots in a day-long window."""


def slot_of(moment: int, start: int, end: int, slots: int = SLOTS) -> int:
    """The slot of `moment` in the window [start, end); moments outside go to the edge slots."""
    span = max(1, end - start)
    return min(slots - 1, max(0, (moment - start) * slots // span))


def summarize(
    scan: Scan,
    *,
    district_count: int,
    calendar: Calendar,
    definition_hash: bytes,
    block_time: int,
    roots: list[int] | None = None,
    approvers: list[tuple[str, ...]] | None = None,
    slots: int = SLOTS,
) -> dict[str, Any]:
    """The summary of `scan` (read up to `scan.to_block`, whose time is `block_time`).

    `roots`: each register's root at that block as the contract holds it; without them, the
    root logged with each district's last registration (which a later key replacement, see
    `MemberReplaced`, changes without a registration). `approvers`: the registrars who approved
    each key replacement up to that block (each registrar's public count)."""
    times = scan.timestamps
    registration = (calendar.registration_start, calendar.registration_end)
    voting = (calendar.voting_start, calendar.voting_end)
    districts: list[dict[str, Any]] = [
        {
            "index": index,
            "registered": 0,
            "voters": 0,
            "ballots": 0,
            "excluded": False,
            "merkleRoot": "0",
            "registeredBySlot": [0] * slots,
            "votersBySlot": [0] * slots,
        }
        for index in range(district_count)
    ]
    registrars: dict[str, dict[str, Any]] = {}

    def registrar(address: str) -> dict[str, Any]:
        return registrars.setdefault(
            address,
            {
                "address": address,
                "quotas": {},
                "registered": 0,
                "replacementsApproved": 0,
                "registeredBySlot": [0] * slots,
            },
        )

    for member in scan.members:
        district = districts[member.district]
        slot = slot_of(times[member.block], *registration, slots)
        district["registered"] += 1
        district["registeredBySlot"][slot] += 1
        district["merkleRoot"] = str(member.root)
        by = registrar(member.registrar)
        by["registered"] += 1
        by["registeredBySlot"][slot] += 1
    for ballot in scan.ballots:
        district = districts[ballot.district]
        district["ballots"] += 1
        if ballot.revision == 1:
            district["voters"] += 1
            district["votersBySlot"][slot_of(times[ballot.block], *voting, slots)] += 1
    authorized = 0
    for grant in scan.registrars:
        if grant.kind == "authorized":
            authorized += 1
            registrar(grant.registrar)["quotas"][str(grant.district)] = grant.quota
    exclusions: list[dict[str, Any]] = []
    for change in sorted(scan.districts, key=lambda c: (c.block, c.log)):
        districts[change.district]["excluded"] = change.excluded
        entry: dict[str, Any] = {
            "kind": "excluded" if change.excluded else "restored",
            "district": change.district,
            "time": times[change.block],
            "reason": change.reason,
        }
        if change.excluded:
            entry["evidenceHash"] = change.evidence
        exclusions.append(entry)
    for replacement in approvers or []:
        for approver in replacement:
            registrar(approver.lower())["replacementsApproved"] += 1
    for number, root in enumerate(roots or []):
        districts[number]["merkleRoot"] = str(root)
    published = scan.results[-1] if scan.results else None
    excluded = sum(1 for c in scan.districts if c.excluded)
    return {
        "format": FORMAT,
        "election": scan.address,
        "chainId": scan.chain_id,
        "definitionHash": "0x" + definition_hash.hex(),
        "fromBlock": scan.from_block,
        "block": scan.to_block,
        "blockHash": scan.to_block_hash,
        "blockTime": block_time,
        "slots": slots,
        "registration": {"start": registration[0], "end": registration[1]},
        "voting": {"start": voting[0], "end": voting[1]},
        "districts": districts,
        "registrars": sorted(registrars.values(), key=lambda r: str(r["address"])),
        "exclusions": exclusions,
        "result": None
        if published is None
        else {"hash": published.result_hash, "time": times[published.block]},
        "eventCounts": {
            "MemberAdded": len(scan.members),
            "BallotCast": len(scan.ballots),
            "RegistrarAuthorized": authorized,
            "DistrictExcluded": excluded,
            "DistrictRestored": len(scan.districts) - excluded,
            "ResultPublished": len(scan.results),
        },
    }
