"""The recount as a person reads it: tables per district, the parliament, and a verdict.

Every sentence here is rendered from the structured result record; none of it is hashed.
"""

from collections.abc import Mapping
from typing import Any

from veche.recount.recount import RecountResult

VACANCY = {
    "excluded": "the district was excluded on appeal",
    "below-minimum": "fewer voters registered than the district's minimum, so voting never opened",
    "no-votes": "no ballot was counted",
    "all-below-threshold": "no list reached the threshold",
    "too-few-candidates": "lists won more seats than they have candidates",
}
DECIDED_BY = {"more-votes": "more votes", "ballot-order": "ballot order"}
ITEMS = {
    "registrationsAboveQuota": "registrations above a registrar's quota",
    "registrationsBySuspendedRegistrars": "registrations by registrars suspended at the end "
    "(or while suspended)",
    "replacedCommitments": "replaced commitments (always 0: there is no identity recovery yet)",
    "dedupCollisionEstimate": "people wrongly refused as already registered (estimate: 15 per "
    "million registered)",
    "duplicatesRefusedAsReported": "people refused as already registered, as registrars report "
    "(the larger of these two counts)",
    "excludedBallots": "ballots of districts excluded on appeal",
    "relayerRefusalsAsReported": "ballots refused by relayers, as relayers report",
    "invalidRecords": "invalid ballot records on chain",
}
UNSEEN = {
    "fictitious-people-within-quota": "a registrar registering people who do not exist, within "
    "its quota",
    "one-person-registered-twice-under-different-attributes": "one person registered twice "
    "with attributes written differently enough to escape normalisation",
    "eligible-people-turned-away-unreported": "eligible people turned away by a registrar or a "
    "relayer that does not report it",
    "coerced-or-bought-ballots": "coerced or bought ballots (re-voting lets a voter undo one)",
    "stolen-identity-secrets": "a ballot cast with someone else's stolen identity secret",
}


def fraction_text(value: Mapping[str, int]) -> str:
    """`7` or `7/2`: the exact value, never rounded."""
    numerator, denominator = value["numerator"], value["denominator"]
    return str(numerator) if denominator == 1 else f"{numerator}/{denominator}"


def tie_sentence(tie: Mapping[str, Any]) -> str:
    """One line for a person: which seat a tie decided, who tied, and what separated them."""
    losers = ", ".join(f"“{name}”" for name in tie["losers"])
    return (
        f"seat {tie['seat']} went to “{tie['winner']}” by the tie-break rule "
        f"({DECIDED_BY[tie['decidedBy']]}) over {losers}, all at {fraction_text(tie['value'])}"
    )


def _table(rows: list[dict[str, Any]]) -> list[str]:
    width = max([len("List"), *(len(row["name"]) for row in rows)])
    total = max(1, sum(row["votes"] for row in rows))
    lines = [f"  {'List'.ljust(width)}  {'Votes':>7}  {'Share':>6}  {'Seats':>5}"]
    for row in rows:
        share = 100 * row["votes"] / total
        lines.append(
            f"  {row['name'].ljust(width)}  {row['votes']:>7}  {share:>5.1f}%  {row['seats']:>5}"
        )
    return lines


def _count(title: str, count: dict[str, Any]) -> list[str]:
    lines = [title, *_table(count["lists"])]
    if count["vacantSeats"]:
        lines.append(f"  {count['vacantSeats']} seat(s) vacant: {VACANCY[count['vacancy']]}")
    lines.extend(f"  tie: {tie_sentence(tie)}" for tie in count["ties"])
    return lines


def render_audit(audit: Mapping[str, Any]) -> list[str]:
    """The 2% report in words."""
    items = audit["items"]
    lines = ["\n2% report (distortions public data can show; not part of the result hash):"]
    for key, words in ITEMS.items():
        if key == "registrationsBySuspendedRegistrars":
            value = sum(d["registrationsBySuspendedRegistrars"] for d in audit["districts"])
        else:
            value = items[key]
        lines.append(f"  {value:>7}  {words}")
    if not audit["reportsGiven"]:
        lines.append("           (no relayer or registrar reports given: those lines are 0)")
    lines.append(
        f"  chance that two people's tags coincide by accident: {audit['tagCollisionChance']:.1e}"
    )
    turnout, total = audit["turnout"], audit["total"]
    share = f"{100 * total / turnout:.2f}%" if turnout else "n/a"
    verdict = "within" if audit["withinLimit"] else "ABOVE"
    lines.append(
        f"  Total: {total} of a turnout of {turnout} ({share}): {verdict} the "
        f"{audit['limitPercent']}% limit"
    )
    lines.append("  Seat-stability margin (fewest ballots moved between lists that change a seat):")
    for district in audit["districts"]:
        margin = district["margin"]
        if margin is None:
            lines.append(f"    {district['id']}: none (no seats counted here)")
            continue
        safe = "fewer" if district["distortionsBelowMargin"] else "NOT fewer"
        lines.append(
            f"    {district['id']}: {margin['ballots']} (from {margin['from']} to {margin['to']}); "
            f"the district's registration distortions are {safe}"
        )
    if audit["nationalMargin"] is not None:
        margin = audit["nationalMargin"]
        lines.append(
            f"    national list: {margin['ballots']} (from {margin['from']} to {margin['to']})"
        )
    lines.append("  What it cannot see:")
    lines.extend(f"    - {UNSEEN[code]}" for code in audit["unseen"])
    return lines


def render_turnout(recount: RecountResult) -> list[str]:
    """An encrypted election before its tally is decrypted: who voted, never how."""
    record = recount.record()
    result, decryption = record["result"], record["decryption"]
    lines = [
        f"Encrypted election {record['election']} on chain {record['chainId']}",
        f"Registered: {result['registered']} voters in {len(result['districts'])} districts",
        f"Ballots counted: {result['ballots']} (each voter's latest; contents encrypted)",
    ]
    for district in result["districts"]:
        lines.append(
            f"  {district['id']}: {district['ballots']} of {district['registered']} registered"
        )
    if decryption["status"] == "pending":
        lines.append(
            f"Tally: decryption pending (no trustee has published a valid partial decryption; "
            f"{decryption['threshold']} needed). No tally exists before that."
        )
    return lines


def render_decryption(recount: RecountResult) -> list[str]:
    """Which trustees' partial decryptions gave the tally, and which were refused."""
    assert recount.decryption is not None
    decryption = recount.decryption
    lines = []
    if decryption.trustees:
        lines.append(
            f"Tally decrypted from the partial decryptions of trustees "
            f"{', '.join(map(str, decryption.trustees))} ({decryption.threshold} needed), "
            "each verified by its proof"
        )
    lines.extend(f"Refused partial decryption: {reason}" for reason in decryption.refused)
    return lines


def render(recount: RecountResult) -> str:
    record = recount.record()
    if not recount.decrypted:
        return "\n".join(render_turnout(recount) + render_decryption(recount) + _verdict(record))
    result = record["result"]
    ballots = result["ballots"]
    lines = [
        f"{result['title']}: election {record['election']} on chain {record['chainId']}",
        f"Definition {result['definitionHash']} (matches the chain), method {result['method']}",
        f"Registered: {result['registered']} voters in {len(result['districts'])} districts",
        f"Ballots: {ballots['seen']} on chain: {ballots['counted']} counted, "
        f"{ballots['excluded']} excluded on appeal, {ballots['superseded']} superseded by a "
        f"re-vote, {ballots['rejected']} rejected",
    ]
    for entry in ballots["rejectedReasons"]:
        lines.append(f"  rejected ({entry['reason']}): {entry['ballots']}")
    for exclusion in result["exclusions"]:
        if exclusion["source"] == "appeal":
            lines.append(f"Excluded on appeal: {exclusion['district']} ({exclusion['reason']})")
        else:
            lines.append(f"Excluded by this recount (--exclude): {exclusion['district']}")
    for district in result["districts"]:
        header = (
            f"\n{district['name']} [{district['id']}]: {district['registered']} registered, "
            f"{district['ballots']['counted']} counted"
        )
        if district["excluded"]:
            header += f", {district['ballots']['excluded']} EXCLUDED"
        lines.extend(_count(header, district))
    if result["national"] is not None:
        lines.extend(_count("\nNational list", result["national"]))
    filled = result["totalSeats"] - result["vacantSeats"]
    lines.append(
        f"\nParliament: {filled} of {result['totalSeats']} seats filled"
        + (f", {result['vacantSeats']} vacant" if result["vacantSeats"] else "")
    )
    for row in sorted(result["parliament"], key=lambda row: -row["seats"]):
        lines.append(f"  {row['list']}: {row['seats']}")
    lines.append("Elected:")
    for member in result["members"]:
        where = member["district"] or "national list"
        lines.append(f"  {member['name']} ({member['list']}, {where})")
    if recount.decryption is not None:
        lines.extend(render_decryption(recount))
    if recount.audit is not None:
        lines.extend(render_audit(recount.audit))
    lines.append(f"\nResult hash: {record['resultHash']}")
    published = record["publishedResultHash"]
    if published is None:
        lines.append("Published on chain: not yet")
    elif record["publishedMatches"] and recount.official_hash != recount.result_hash:
        lines.append(
            "Published on chain: the hash of the count under the exclusions in force on chain "
            "(this recount imagines other exclusions)"
        )
    elif record["publishedMatches"]:
        lines.append("Published on chain: the same hash (the published result is this one)")
    else:
        lines.append(f"Published on chain: {published}: DIFFERENT from this recount")
    return "\n".join(lines + _verdict(record))


def _verdict(record: Mapping[str, Any]) -> list[str]:
    lines = []
    if not record["verifierMatchesKey"]:
        lines.append("The on-chain verifier does NOT hold the verification key used here.")
    for discrepancy in record["discrepancies"]:
        lines.append(f"Discrepancy: {discrepancy}")
    verdict = "VERIFIED" if record["verified"] else "NOT VERIFIED"
    lines.append(f"Verdict: {verdict} (recount took {record['seconds']:.2f} s)")
    return lines
