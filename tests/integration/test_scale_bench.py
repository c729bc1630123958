"""The scale benchmark's pipeline end to end at 10,000 voters: build an election of 50 skewed
districts on anvil, real proofs against the real registers, ballots on chain, the real recount
over JSON-RPC, snapshots, and the figures the JSON must hold."""

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
    args = ["--voters", "10000", "--districts", "50", "--pool", "6", "--verify-records", "100"]
    figures = scale.main([*args, "--state", str(tmp_path / "chain"), "--out", str(out)])
    assert json.loads(out.read_text()) == figures
    assert figures.keys() >= KEYS
    assert figures["voters"] == 10_000 and figures["districts"] == 50
    assert figures["recount_verified"] is True
    assert figures["ballots"] == figures["distinct_proofs"] == 6
    assert figures["largest_district"] > 10 * min(scale.skewed_sizes(10_000, 50))
    assert figures["snapshot_bytes"] == 50 * 84 + 32 * 10_000
    # The voter page opened a pool voter's ballot from the largest district's snapshot.
    assert figures["page_ready_seconds"] > 0 and figures["page_ready_seconds_phone"] > 0
    # A second run reuses the saved chain and proofs, and the recount agrees again.
    again = scale.main(
        [*args, "--skip-page", "--state", str(tmp_path / "chain"), "--out", str(out)]
    )
    assert again["chain_cached"] is True and again["recount_verified"] is True
