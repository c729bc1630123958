"""The recount, from chain data alone, agrees with what voters did, applies appeals, allocates
seats, and checks the result hash published on chain."""

import json
import os
import subprocess
import sys

import httpx
import pytest

from veche.chain.anvil import latest_timestamp, revert_to, snapshot
from veche.keys import verification_key_path
from veche.recount import recount
from veche.recount.recount import DefinitionMismatch
from veche.voter import prepare_ballots, send_ballot, wait_for_inclusion

pytestmark = [pytest.mark.chain, pytest.mark.slow]

KEY = verification_key_path()


def veche(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veche.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def voted(world, relayer, prover):
    """North: 4 voters choose lists 0,1,2,0; then two switch to list 2. South: 4 voters choose
    1,1,1,0. Then voting closes and the appeals period begins."""
    north, south = world.voters["north"], world.voters["south"]
    rounds = [
        [
            *[(north[0], 0), (north[1], 1), (north[2], 2), (north[3], 0)],
            *[(south[0], 1), (south[1], 1), (south[2], 1), (south[3], 0)],
        ],
        [(north[0], 2), (north[1], 2)],
    ]
    with httpx.Client() as client:
        for votes in rounds:
            for body in prepare_ballots(world.election, votes, prover):
                wait_for_inclusion(client, relayer.url, send_ballot(client, relayer.url, body))
    world.travel_to(world.calendar.voting_end)
    return {"north": [1, 0, 3], "south": [1, 3], "east": [0, 0]}


def _votes(record, district_id):
    (district,) = [d for d in record["result"]["districts"] if d["id"] == district_id]
    return [row["votes"] for row in district["lists"]]


def test_recount_counts_the_latest_ballot_of_each_voter(world, voted) -> None:
    record = recount(world.w3, world.election.address, world.definition, KEY).record()
    for district_id, votes in voted.items():
        assert _votes(record, district_id) == votes
    assert record["result"]["ballots"] == {
        "seen": 10,
        "counted": 8,
        "excluded": 0,
        "superseded": 2,
        "rejected": 0,
        "rejectedReasons": [],
    }
    assert record["result"]["registered"] == 10
    assert record["verifierMatchesKey"] is True and record["verified"] is True
    assert record["publishedResultHash"] is None and record["publishedMatches"] is None


def _middle_of_voting(world) -> int:
    """The block of the fifth of the ten ballots."""
    return world.election.ballot_events()[4].block_number


def test_recount_pinned_during_voting_counts_that_block_and_finds_no_discrepancy(
    world, voted
) -> None:
    middle = _middle_of_voting(world)
    record = recount(world.w3, world.election.address, world.definition, KEY, at_block=middle)
    record = record.record()
    assert record["block"] == middle
    assert record["result"]["ballots"]["seen"] == 5 and record["discrepancies"] == []
    assert record["verified"] is True


def test_recount_starts_at_the_deployment_block_it_finds_itself(world, voted) -> None:
    found = recount(world.w3, world.election.address, world.definition, KEY).from_block
    assert world.w3.eth.get_code(world.election.address, found)
    assert not world.w3.eth.get_code(world.election.address, found - 1)
    # Starting one block late misses the registrars' grants: the recount says so.
    late = recount(world.w3, world.election.address, world.definition, KEY, from_block=found + 1)
    assert any("beyond its quota of 0" in d for d in late.discrepancies) and not late.verified


def test_resuming_from_a_checkpoint_gives_the_result_of_a_full_recount(
    world, voted, tmp_path
) -> None:
    checkpoint = tmp_path / "recount.checkpoint"
    address, definition = world.election.address, world.definition
    partial = recount(
        world.w3, address, definition, KEY, at_block=_middle_of_voting(world), checkpoint=checkpoint
    )
    assert checkpoint.exists() and partial.box.seen == 5
    resumed = recount(world.w3, address, definition, KEY, checkpoint=checkpoint)
    full = recount(world.w3, address, definition, KEY)
    assert resumed.block == full.block
    assert resumed.result_hash == full.result_hash and resumed.verified and full.verified
    assert resumed.result["ballots"] == full.result["ballots"]
    # The checkpoint now reaches the latest block: a third run reads nothing new.
    assert recount(world.w3, address, definition, KEY, checkpoint=checkpoint).result_hash == (
        full.result_hash
    )


def test_checkpoint_of_another_election_is_refused(world, voted, tmp_path) -> None:
    from veche.recount.scan import CheckpointError

    checkpoint = tmp_path / "other.checkpoint"
    recount(world.w3, world.other.address, world.definition, KEY, checkpoint=checkpoint)
    with pytest.raises(CheckpointError, match="made for another election"):
        recount(world.w3, world.election.address, world.definition, KEY, checkpoint=checkpoint)


def test_recount_cli_prints_only_the_record_with_json_dash(world, voted, tmp_path) -> None:
    common = ["--rpc", world.rpc_url, "--election", world.election.address]
    common += ["--definition", str(world.definition_file), "--json", "-"]
    run = veche("recount", *common, "--checkpoint", str(tmp_path / "c"), "--workers", "1")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["verified"] is True and record["result"]["ballots"]["seen"] == 10
    assert "%" not in run.stderr and "proofs" not in run.stderr  # no progress bars


def test_recount_follows_the_chain_one_line_a_round_until_interrupted(world, voted) -> None:
    import signal

    command = [sys.executable, "-m", "veche.cli.main", "recount", "--rpc", world.rpc_url]
    command += ["--election", world.election.address, "--definition", str(world.definition_file)]
    # A test run started in the background (`make test &`) ignores SIGINT, and so would the
    # recount it starts: the recount is given the default handling a terminal's Ctrl-C meets.
    follower = subprocess.Popen(
        [*command, "--follow", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert follower.stdout is not None
    first, second = follower.stdout.readline(), follower.stdout.readline()
    follower.send_signal(signal.SIGINT)
    assert follower.wait(timeout=60) == 0
    for line in (first, second):
        assert "10 ballots seen, 8 voters counted, 0 rejected" in line and "verified" in line


def test_a_following_recount_whose_reader_goes_away_stops_without_an_internal_error(
    world, voted
) -> None:
    """`veche recount --follow 0.2 | head -1`: when the reader closes the pipe the recount stops
    (exit 141, as a shell pipeline expects) and prints no "internal error"."""
    command = [sys.executable, "-m", "veche.cli.main", "recount", "--rpc", world.rpc_url]
    command += ["--election", world.election.address, "--definition", str(world.definition_file)]
    with subprocess.Popen(
        [*command, "--follow", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as follower:
        assert follower.stdout is not None and follower.stderr is not None
        assert "ballots seen" in follower.stdout.readline()
        follower.stdout.close()
        assert follower.wait(timeout=120) == 141
        assert "internal error" not in follower.stderr.read()


def test_seats_follow_the_definitions_method(world, voted) -> None:
    result = recount(world.w3, world.election.address, world.definition, KEY).result
    north, south, east = result["districts"]
    # D'Hondt, 3 seats, votes 1/0/3: Open Borders' quotients 3, 1.5, 1 against Green Harbour's
    # 1: the third seat is a tie at 1, won by Open Borders on more votes.
    assert [row["seats"] for row in north["lists"]] == [0, 0, 3]
    assert north["ties"] == [
        {
            "seat": 3,
            "winner": "Open Borders",
            "losers": ["Green Harbour"],
            "value": {"numerator": 1, "denominator": 1},
            "decidedBy": "more-votes",
        }
    ]
    assert [row["seats"] for row in south["lists"]] == [0, 2]
    # East never opened: below its minimum of registered voters.
    assert (east["vacantSeats"], east["vacancy"]) == (2, "below-minimum")
    # Open Borders won North's 3 seats but has 1 candidate there: 2 seats stay vacant.
    assert (north["vacantSeats"], north["vacancy"]) == (2, "too-few-candidates")
    assert result["parliament"] == [
        {"list": "Green Harbour", "seats": 0},
        {"list": "Common Cause", "seats": 2},
        {"list": "Open Borders", "seats": 1},
    ]
    assert [m["name"] for m in result["members"]][:2] == ["Yuri Kovalenko", "Roman Tikhonov"]


def test_recount_refuses_a_definition_other_than_the_deployed_one(world, voted, tmp_path) -> None:
    from veche.definition import load

    changed = tmp_path / "changed.toml"
    changed.write_text(world.definition_file.read_text().replace("seats = 3", "seats = 4", 1))
    with pytest.raises(DefinitionMismatch, match="refusing to count under other rules"):
        recount(world.w3, world.election.address, load(changed), KEY)


def test_recount_with_another_verification_key_is_not_verified(world, voted, tmp_path) -> None:
    key = json.loads(KEY.read_text())
    key["IC"][1], key["IC"][2] = key["IC"][2], key["IC"][1]
    wrong = tmp_path / "wrong_key.json"
    wrong.write_text(json.dumps(key))
    record = recount(world.w3, world.election.address, world.definition, wrong).record()
    assert record["verified"] is False
    # The two re-votes follow first ballots that no longer count: they skip a revision.
    assert record["result"]["ballots"]["rejectedReasons"] == [
        {"reason": "invalid_proof", "ballots": 8},
        {"reason": "revision_gap", "ballots": 2},
    ]
    assert record["discrepancies"]


@pytest.fixture
def rolled_back(world, voted):
    """The voted world, its chain rolled back after the test (appeals and time travel undone)."""
    saved = snapshot(world.w3)
    yield world
    revert_to(world.w3, saved)


def _exclude_south(world, tmp_path) -> None:
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("observers' report")
    organizer_env = {"VECHE_ORGANIZER_KEY": "0x" + world.organizer.key.hex().removeprefix("0x")}
    common = ["--rpc", world.rpc_url, "--election", world.election.address]
    common += ["--definition", str(world.definition_file), "--district", "south"]
    run = veche(
        "appeal",
        "exclude",
        *common,
        "--reason",
        "proven fraud",
        "--evidence",
        str(evidence),
        env=organizer_env,
    )
    assert run.returncode == 0, run.stderr


def test_appeal_exclusion_by_cli_removes_a_districts_votes_and_seats(
    rolled_back, voted, tmp_path
) -> None:
    world = rolled_back
    _exclude_south(world, tmp_path)
    record = recount(world.w3, world.election.address, world.definition, KEY).record()
    assert _votes(record, "south") == [0, 0]
    south = record["result"]["districts"][1]
    assert south["excluded"] is True
    assert (south["vacantSeats"], south["vacancy"]) == (2, "excluded")
    # One meaning per word: South's 4 ballots are excluded, not counted, everywhere.
    assert south["ballots"] == {"counted": 0, "excluded": 4}
    ballots = record["result"]["ballots"]
    assert (ballots["counted"], ballots["excluded"], ballots["superseded"]) == (4, 4, 2)
    assert record["exclusionsOnChain"] == ["south"]
    ignored = recount(
        world.w3, world.election.address, world.definition, KEY, ignore_exclusions=True
    ).record()
    assert _votes(ignored, "south") == voted["south"]
    hypothetical = recount(
        world.w3, world.election.address, world.definition, KEY, exclude=["north"]
    ).record()
    assert _votes(hypothetical, "north") == [0, 0, 0] and _votes(hypothetical, "south") == [0, 0]


def test_appeal_by_anyone_but_the_organizer_is_refused(world, voted, tmp_path) -> None:
    common = ["--rpc", world.rpc_url, "--election", world.election.address]
    common += ["--definition", str(world.definition_file), "--district", "north"]
    run = veche(
        "appeal",
        "restore",
        *common,
        "--reason",
        "x",
        env={"VECHE_ORGANIZER_KEY": "0x" + world.attacker.key.hex().removeprefix("0x")},
    )
    assert run.returncode == 1 and "NotOrganizer" in run.stderr


def test_published_result_hash_is_checked_by_every_recount(rolled_back, tmp_path) -> None:
    world = rolled_back
    _exclude_south(world, tmp_path)
    world.travel_to(world.calendar.appeals_end)
    organizer_env = {"VECHE_ORGANIZER_KEY": "0x" + world.organizer.key.hex().removeprefix("0x")}
    common = ["--rpc", world.rpc_url, "--election", world.election.address]
    common += ["--definition", str(world.definition_file)]
    published = veche(
        "publish-result", *common, "--out", str(tmp_path / "r.json"), env=organizer_env
    )
    assert published.returncode == 0, published.stderr
    out = tmp_path / "recount.json"
    chart = tmp_path / "chart.svg"
    run = veche("recount", *common, "--json", str(out), "--chart", str(chart))
    assert run.returncode == 0, run.stderr
    assert "Published on chain: the same hash" in run.stdout and "Verdict: VERIFIED" in run.stdout
    record = json.loads(out.read_text())
    assert record["publishedMatches"] is True
    assert chart.read_text().startswith("<svg") and "South" in chart.read_text()
    # Counting without the appeal gives another result; the published hash is still judged
    # against the count under the exclusions in force on chain, so it still verifies.
    other = veche("recount", *common, "--ignore-exclusions")
    assert "imagines other exclusions" in other.stdout and other.returncode == 0, other.stdout
    again = veche("publish-result", *common, "--out", str(tmp_path / "r2.json"), env=organizer_env)
    assert again.returncode == 1 and "ResultAlreadyPublished" in again.stderr
    calendar = veche("calendar", "--rpc", world.rpc_url, "--election", world.election.address)
    assert calendar.returncode == 0 and ": result" in calendar.stdout


def test_calendar_command_shows_the_phase(world) -> None:
    expected = world.definition.calendar.on_chain.phase(latest_timestamp(world.w3))
    run = veche("calendar", "--rpc", world.rpc_url, "--election", world.election.address)
    assert run.returncode == 0 and "voting opens" in run.stdout
    assert f": {expected}\n" in run.stdout


def test_recount_of_an_address_without_an_election_fails_in_one_line(world) -> None:
    run = veche(
        "recount",
        "--rpc",
        world.rpc_url,
        "--election",
        world.attacker.address,
        "--definition",
        str(world.definition_file),
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    refusal = f"{world.attacker.address} does not hold a Veche Election contract"
    assert lines[-1] == f"veche: error: {refusal}"
    assert all(line.startswith("veche: ") for line in lines), run.stderr


def test_recount_with_unreachable_chain_fails_in_one_line(world) -> None:
    run = veche(
        "recount",
        "--rpc",
        "http://127.0.0.1:9",
        "--election",
        world.election.address,
        "--definition",
        str(world.definition_file),
    )
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[-1].startswith("veche: error: no chain answers at http://127.0.0.1:9")
    assert all(line.startswith("veche: ") for line in lines), run.stderr


def test_recount_with_malformed_address_is_a_usage_error(world) -> None:
    run = veche("recount", "--rpc", "x", "--election", "0x12", "--definition", "x.toml")
    assert run.returncode == 2 and "not an Ethereum address" in run.stderr


def test_recount_with_unknown_excluded_district_is_refused(world) -> None:
    run = veche(
        "recount",
        "--rpc",
        world.rpc_url,
        "--election",
        world.election.address,
        "--definition",
        str(world.definition_file),
        "--exclude",
        "atlantis",
    )
    assert run.returncode == 1 and "--exclude atlantis: no such district" in run.stderr


def test_recount_notices_a_calendar_other_than_the_definitions(world) -> None:
    from veche.chain.deploy import deploy_from_definition
    from veche.model import Calendar

    shifted = Calendar(*(t + 60 for t in world.definition.calendar.on_chain.as_tuple()))
    election = deploy_from_definition(
        world.w3, world.organizer, world.definition, calendar_override=shifted
    )
    record = recount(world.w3, election.address, world.definition, KEY).record()
    assert "the contract's calendar differs from the definition's" in record["discrepancies"]
    assert record["verified"] is False


def test_recount_audit_adds_the_2_percent_report(world, voted, tmp_path) -> None:
    reports = tmp_path / "reports.json"
    reports.write_text(json.dumps({"relayers": {"relayer-a": {"voting_closed": 3}}}))
    out = tmp_path / "recount.json"
    common = ["--rpc", world.rpc_url, "--election", world.election.address]
    common += ["--definition", str(world.definition_file)]
    run = veche("recount", *common, "--audit", "--reports", str(reports), "--json", str(out))
    assert run.returncode == 0, run.stderr
    assert "2% report" in run.stdout and "What it cannot see:" in run.stdout
    record = json.loads(out.read_text())
    audit, ballots = record["audit"], record["result"]["ballots"]
    assert audit["items"]["relayerRefusalsAsReported"] == 3
    assert audit["items"]["registrationsAboveQuota"] == 0
    # 8 voters' ballots on chain (South's may be excluded by an earlier appeal test): 3
    # refusals alone are far above 2% of them.
    assert audit["turnout"] == ballots["counted"] + ballots["excluded"] == 8
    assert audit["total"] == 3 + ballots["excluded"] and audit["withinLimit"] is False
    # North 1/0/3: one ballot moved from Open Borders to Green Harbour gives it a seat.
    north, _, east = audit["districts"]
    assert north["margin"] == {"ballots": 1, "from": "Open Borders", "to": "Green Harbour"}
    assert east["margin"] is None  # nobody could vote there
    # The report is not part of the hashed result.
    plain = json.loads(out.read_text())
    assert (
        plain["resultHash"]
        == "0x" + recount(world.w3, world.election.address, world.definition, KEY).result_hash.hex()
    )


def test_reports_without_audit_is_refused_in_one_line(world, tmp_path) -> None:
    common = ["--rpc", world.rpc_url, "--election", world.election.address]
    common += ["--definition", str(world.definition_file)]
    run = veche("recount", *common, "--reports", str(tmp_path / "r.json"))
    assert run.returncode == 1
    assert run.stderr.strip() == "veche: error: --reports is read only with --audit"
