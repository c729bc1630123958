"""Attacks on appeals and results, and on the organizer's commands: after voting, on a real
chain, through the `veche` commands an organizer and an observer run.

Each test that moves the chain's clock or changes the election runs on `after_voting`, whose
chain is rolled back after the test, so that the tests hold in any order.
"""

import httpx
import pytest
from eth_utils import keccak

from tests.adversarial.catalogue import CLI, CONTRACT, RECOUNT, attack
from tests.adversarial.cli import one_line_error, veche
from tests.contracts.reverts import reverts_with
from veche.chain.anvil import revert_to, snapshot
from veche.voter import prepare_ballots, send_ballot, wait_for_inclusion

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def _organizer(world) -> dict[str, str]:
    return {"VECHE_ORGANIZER_KEY": "0x" + world.organizer.key.hex().removeprefix("0x")}


def _on(world) -> list[str]:
    return ["--rpc", world.rpc_url, "--election", world.election.address]


@pytest.fixture(scope="module")
def voted(world, relayer, prover):
    """Two North voters and one South voter have voted; voting then closes."""
    north, south = world.voters["north"], world.voters["south"]
    bodies = prepare_ballots(world.election, [(north[0], 1), (north[1], 2), (south[0], 0)], prover)
    with httpx.Client() as client:
        for body in bodies:
            wait_for_inclusion(client, relayer.url, send_ballot(client, relayer.url, body))
    return bodies


@pytest.fixture
def after_voting(world, voted):
    """The voted world, its chain rolled back after the test (time travel, appeals and
    publications undone)."""
    saved = snapshot(world.w3)
    yield world
    revert_to(world.w3, saved)


@attack(
    "appeals and results",
    "Excluding a district while voting is still open",
    CONTRACT,
    refusal="AppealsClosed(now, start, end)",
)
def test_exclusion_during_voting_is_refused(world, voted) -> None:
    now = world.w3.eth.get_block("latest")["timestamp"]  # refused in simulation, at "latest"
    calendar = world.calendar
    with reverts_with(
        "AppealsClosed", now=now, start=calendar.voting_end, end=calendar.appeals_end
    ):
        world.election.exclude_district(world.organizer, 0, "fraud", keccak(b"evidence"))


@attack(
    "appeals and results",
    "An organizer command given another election's definition (district ids read against the "
    "wrong list: the wrong district would be excluded)",
    CLI,
    refusal="one line: FILE is not this election's definition (it hashes to ..., the election "
    "was deployed with ...)",
)
def test_appeal_with_the_wrong_definition_is_refused(after_voting, tmp_path) -> None:
    world = after_voting
    world.travel_to(world.calendar.voting_end)
    other = tmp_path / "other.toml"
    text = world.definition_file.read_text()
    other.write_text(text.replace('title = "', 'title = "Not ', 1))
    assert other.read_text() != text
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("photographs of the ballot box")
    run = veche(
        "appeal", "exclude", *_on(world), "--definition", str(other), "--district", "north",
        "--reason", "fraud", "--evidence", str(evidence), env=_organizer(world),
    )  # fmt: skip
    assert run.returncode == 1
    assert one_line_error(run).startswith(f"{other} is not this election's definition")
    assert not world.election.is_excluded(0)


@attack(
    "appeals and results",
    "'Check my ballot' in a district excluded on appeal (it said 'counted')",
    CLI,
    refusal="'On chain but NOT counted ... excluded on appeal', exit 1",
)
def test_ballot_in_an_excluded_district_is_not_reported_counted(
    after_voting, voted, tmp_path
) -> None:
    world = after_voting
    world.travel_to(world.calendar.voting_end)
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("photographs of the ballot box")
    run = veche(
        "appeal", "exclude", *_on(world), "--definition", str(world.definition_file),
        "--district", "north", "--reason", "fraud", "--evidence", str(evidence),
        env=_organizer(world),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    nullifier = voted[0]["publicSignals"][1]
    check = veche("ballot", *_on(world), "--nullifier", nullifier)
    assert check.returncode == 1
    assert check.stdout.startswith("On chain but NOT counted: district 0, list 1, revision 1")
    assert "Counted" not in check.stdout
    south = veche("ballot", *_on(world), "--nullifier", voted[2]["publicSignals"][1])
    assert south.returncode == 0 and south.stdout.startswith("Counted: district 1, list 0")


@attack(
    "appeals and results",
    "Publishing a result hash that is not the recount's (the recount said VERIFIED)",
    RECOUNT,
    refusal="'Discrepancy: the result hash published on chain ... is not the hash of this "
    "count'; NOT VERIFIED, exit 3",
)
def test_wrong_published_result_fails_the_recount(after_voting) -> None:
    world = after_voting
    world.travel_to(world.calendar.appeals_end)
    forged = keccak(b"a result the organizer would prefer")
    world.election.publish_result(world.organizer, forged)
    run = veche("recount", *_on(world), "--definition", str(world.definition_file))
    assert run.returncode == 3, run.stdout + run.stderr
    assert f"the result hash published on chain, 0x{forged.hex()}, is not the hash" in run.stdout
    assert run.stdout.rstrip().splitlines()[-1].startswith("Verdict: NOT VERIFIED")


@attack(
    "appeals and results",
    "Publishing the result a second time (to replace it)",
    CONTRACT,
    CLI,
    refusal="ResultAlreadyPublished(published)",
)
def test_second_publication_is_refused(after_voting, tmp_path) -> None:
    world = after_voting
    world.travel_to(world.calendar.appeals_end)
    world.election.publish_result(world.organizer, keccak(b"a result the organizer would prefer"))
    run = veche(
        "publish-result", *_on(world), "--definition", str(world.definition_file),
        "--out", str(tmp_path / "result.json"), env=_organizer(world),
    )  # fmt: skip
    # The recount is not verified (the forged hash is on chain), so the command refuses first;
    # the contract refuses a second publication whoever asks.
    assert run.returncode == 1
    assert "refusing to publish" in one_line_error(run)
    published = world.election.result_hash()
    with reverts_with("ResultAlreadyPublished", published=published):
        world.election.publish_result(world.organizer, keccak(b"another"))


@attack(
    "command line",
    "`veche recount --chart` pointing at a folder",
    CLI,
    refusal="one line: cannot write FOLDER: it is a folder; give a file name",
)
def test_chart_to_a_folder_says_so(world, voted, tmp_path) -> None:
    run = veche(
        "recount", *_on(world), "--definition", str(world.definition_file),
        "--chart", str(tmp_path),
    )  # fmt: skip
    assert run.returncode == 1
    assert one_line_error(run) == f"cannot write {tmp_path}: it is a folder; give a file name"
