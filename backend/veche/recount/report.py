"""The recount as a person reads it: a table and a verdict."""

from veche.recount.recount import RecountResult


def render(result: RecountResult) -> str:
    record = result.record()
    ballots = record["ballots"]
    width = max([len("Option"), *(len(row["option"]) for row in record["tally"])])
    total = max(1, sum(row["votes"] for row in record["tally"]))
    register = record["register"]
    lines = [
        f"Election {record['election']} on chain {record['chainId']}",
        f"Register: {register['members']} voters, root {register['merkleRoot']}",
        f"Ballots: {ballots['seen']} seen, {ballots['counted']} counted, "
        f"{ballots['superseded']} superseded by a re-vote, {ballots['rejected']} rejected",
        "",
        f"{'Option'.ljust(width)}  {'Votes':>7}  {'Share':>6}",
        f"{'-' * width}  {'-' * 7}  {'-' * 6}",
    ]
    for row in record["tally"]:
        share = 100 * row["votes"] / total
        lines.append(f"{row['option'].ljust(width)}  {row['votes']:>7}  {share:>5.1f}%")
    lines.append("")
    for reason, count in sorted(ballots["rejectedReasons"].items()):
        lines.append(f"Rejected ({reason}): {count}")
    if not record["verifierMatchesKey"]:
        lines.append("The on-chain verifier does NOT match the verification key used here.")
    for discrepancy in record["discrepancies"]:
        lines.append(f"Discrepancy: {discrepancy}")
    verdict = "VERIFIED" if record["verified"] else "NOT VERIFIED"
    lines.append(f"Verdict: {verdict} (recount took {record['seconds']:.2f} s)")
    return "\n".join(lines)
