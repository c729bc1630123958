"""The scale benchmark's pipeline end to end at 10,000 voters: build an election of 50 skewed
districts on anvil in the recorded ballot mode, real proofs against the real registers, 11,000
ballot records on chain drawn from a pool of 12 proofs (one a re-vote), the real recount over
JSON-RPC verifying every record, snapshots, and the figures the JSON must hold."""

import json
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.chain, pytest.mark.slow]

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

KEYS = {
    "voters", "districts", "ballots", "distinct_proofs", "build_seconds", "recount_seconds",
    "recount_peak_rss_bytes", "register_rebuild_seconds", "verify_seconds", "fetch_seconds",
    "snapshot_bytes", "largest_district", "page_ready_seconds", "cores",
}  # fmt: skip


def test_ten_thousand_voters_in_fifty_districts_are_recounted_and_verified(tmp_path) -> None:
    import scale

    out = tmp_path / "scale.json"
    args = ["--voters", "10000", "--districts", "50", "--pool", "12", "--verify-records", "100"]
    figures = scale.main([*args, "--state", str(tmp_path / "chain"), "--out", str(out)])
    assert json.loads(out.read_text()) == figures
    assert figures.keys() >= KEYS
    assert figures["voters"] == 10_000 and figures["districts"] == 50
    assert figures["recount_verified"] is True
    # 11,000 records (voters + 10%) on chain; the recount counts the pool's 11 voters (one of
    # them re-voted) and refuses the rest, repeated proofs, as stale: no discrepancy.
    assert figures["ballots"] == figures["ballots_requested"] == 11_000
    assert figures["distinct_proofs"] == 12 and figures["ballots_counted"] == 11
    assert figures["ballots_superseded"] == 1 and figures["ballots_refused"] == 11_000 - 12
    assert figures["largest_district"] > 10 * min(scale.skewed_sizes(10_000, 50))
    assert figures["snapshot_bytes"] == 50 * 84 + 32 * 10_000
    # The voter page opened a pool voter's ballot from the largest district's snapshot.
    assert figures["page_ready_seconds"] > 0 and figures["page_ready_seconds_phone"] > 0
    # A second run reuses the saved chain and proofs, and the recount agrees again.
    again = scale.main(
        [*args, "--skip-page", "--state", str(tmp_path / "chain"), "--out", str(out)]
    )
    assert again["chain_cached"] is True and again["recount_verified"] is True
