"""The recount, from chain data alone, agrees with what voters did and says so."""

import json
import subprocess
import sys

import httpx
import pytest

from veche.keys import DEV_ZK_DIR
from veche.recount import recount
from veche.voter import prepare_ballots

pytestmark = [pytest.mark.chain, pytest.mark.slow]

KEY = DEV_ZK_DIR / "verification_key.json"


@pytest.fixture(scope="module")
def voted(world, relayer, prover):
    """Six voters vote, two of them change their minds; then voting closes."""
    first = [(world.voters[i], i % 3) for i in range(6)]
    for body in prepare_ballots(world.election, first, prover):
        assert httpx.post(f"{relayer.url}/ballots", json=body, timeout=60).status_code == 200
    second = [(world.voters[0], 2), (world.voters[1], 2)]
    for body in prepare_ballots(world.election, second, prover):
        assert httpx.post(f"{relayer.url}/ballots", json=body, timeout=60).status_code == 200
    world.close_voting()
    # First round: voters 0..5 choose 0,1,2,0,1,2; voters 0 and 1 then switch to option 2.
    return {"votes": [1, 1, 4]}


def test_recount_counts_the_latest_ballot_of_each_voter(world, voted) -> None:
    result = recount(world.w3, world.election.address, KEY)
    record = result.record()
    assert [row["votes"] for row in record["tally"]] == voted["votes"]
    assert record["ballots"] == {
        "seen": 8,
        "counted": 6,
        "superseded": 2,
        "rejected": 0,
        "rejectedReasons": {},
    }
    assert record["register"]["members"] == 8
    assert record["verifierMatchesKey"] is True
    assert record["verified"] is True


def test_recount_with_another_verification_key_is_not_verified(world, voted, tmp_path) -> None:
    key = json.loads(KEY.read_text())
    key["IC"][1], key["IC"][2] = key["IC"][2], key["IC"][1]
    wrong = tmp_path / "wrong_key.json"
    wrong.write_text(json.dumps(key))
    record = recount(world.w3, world.election.address, wrong).record()
    assert record["verified"] is False
    assert record["ballots"]["rejectedReasons"] == {"invalid_proof": 8}
    assert record["discrepancies"]


def test_recount_command_prints_table_and_writes_json(world, voted, tmp_path) -> None:
    out = tmp_path / "recount.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "veche.cli.main",
            "recount",
            "--rpc",
            world.rpc_url,
            "--election",
            world.election.address,
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Verdict: VERIFIED" in run.stdout and "Irina Sokolova" in run.stdout
    record = json.loads(out.read_text())
    assert record["verified"] is True and record["election"] == world.election.address


def test_recount_of_an_address_without_an_election_fails_in_one_line(world) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "veche.cli.main",
            "recount",
            "--rpc",
            world.rpc_url,
            "--election",
            world.attacker.address,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert (
        lines[-1]
        == f"veche: error: {world.attacker.address} does not hold a Veche Election contract"
    )
    assert all(line.startswith("veche: ") for line in lines), run.stderr


def test_recount_with_unreachable_chain_fails_in_one_line(world) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "veche.cli.main",
            "recount",
            "--rpc",
            "http://127.0.0.1:9",
            "--election",
            world.election.address,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[-1].startswith("veche: error: no chain answers at http://127.0.0.1:9")
    assert all(line.startswith("veche: ") for line in lines), run.stderr


def test_recount_with_malformed_address_is_a_usage_error() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "veche.cli.main", "recount", "--rpc", "x", "--election", "0x12"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "not an Ethereum address" in run.stderr
