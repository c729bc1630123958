"""The recount as a person reads it: tables per district, the parliament, and a verdict."""

from typing import Any

from veche.recount.recount import RecountResult


def _table(rows: list[dict[str, Any]], seats: dict[str, int]) -> list[str]:
    width = max([len("List"), *(len(row["label"]) for row in rows)])
    total = max(1, sum(row["votes"] for row in rows))
    lines = [f"  {'List'.ljust(width)}  {'Votes':>7}  {'Share':>6}  {'Seats':>5}"]
    for row in rows:
        share = 100 * row["votes"] / total
        won = seats.get(row["label"], 0)
        lines.append(f"  {row['label'].ljust(width)}  {row['votes']:>7}  {share:>5.1f}%  {won:>5}")
    return lines


def _count(title: str, count: dict[str, Any]) -> list[str]:
    lines = [title, *_table(count["tally"], count["seats"])]
    if count.get("vacant"):
        lines.append(f"  {count['vacant']} seat(s) vacant: {count['note']}")
    lines.extend(f"  tie: {tie}" for tie in count.get("ties", []))
    return lines


def render(recount: RecountResult) -> str:
    record = recount.record()
    result = record["result"]
    ballots = record["ballots"]
    lines = [
        f"{result['title']}: election {record['election']} on chain {record['chainId']}",
        f"Definition 0x{result['definitionHash'][2:]} (matches the chain), method "
        f"{result['method']}",
        f"Registered: {record['registered']} voters in {len(result['districts'])} districts",
        f"Ballots: {ballots['seen']} seen, {ballots['counted']} counted, "
        f"{ballots['superseded']} superseded by a re-vote, {ballots['rejected']} rejected",
    ]
    for reason, count in sorted(ballots["rejectedReasons"].items()):
        lines.append(f"  rejected ({reason}): {count}")
    for exclusion in result["exclusions"]:
        lines.append(f"Excluded: {exclusion['district']} ({exclusion['reason']})")
    for district in result["districts"]:
        header = (
            f"\n{district['name']} [{district['id']}]: {district['registered']} registered, "
            f"{district['counted']} counted"
        )
        if district["excluded"]:
            header += " (EXCLUDED)"
        lines.extend(_count(header, district))
    if result["national"] is not None:
        lines.extend(_count("\nNational list", result["national"]))
    filled = result["totalSeats"] - result["vacantSeats"]
    lines.append(
        f"\nParliament: {filled} of {result['totalSeats']} seats filled"
        + (f", {result['vacantSeats']} vacant" if result["vacantSeats"] else "")
    )
    for name, seats in result["parliament"].items():
        lines.append(f"  {name}: {seats}")
    lines.append("Elected:")
    for member in result["members"]:
        where = member["district"] or "national list"
        lines.append(f"  {member['name']} ({member['list']}, {where})")
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
    if not record["verifierMatchesKey"]:
        lines.append("The on-chain verifier does NOT hold the verification key used here.")
    for discrepancy in record["discrepancies"]:
        lines.append(f"Discrepancy: {discrepancy}")
    verdict = "VERIFIED" if record["verified"] else "NOT VERIFIED"
    lines.append(f"Verdict: {verdict} (recount took {record['seconds']:.2f} s)")
    return "\n".join(lines)
