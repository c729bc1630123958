"""A voter's whole path in a real browser, on a real chain, through a real relayer: make a key,
get registered, vote, see the receipt, re-vote, check the ballot, switch language; observers see
the ballots. Then each failure a voter can meet, said in words."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewContext
from tests.browser.harness import (
    World,
    demo_world,
    start_relayer,
    static_server,
    write_site,
)
from tests.browser.pages import ObserverPage, VoterPage
from veche.crypto.identity import Identity
from veche.devnet import ServiceProcess, free_port

SOUTH = 1
"""The demo's second district; its lists are Green Harbour (0) and Common Cause (1)."""

SiteFor = Callable[[World, list[str]], str]


@pytest.fixture
def site_for(pages: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteFor]:
    """Serves the pages for a world with a given relayer list (one static server each)."""
    servers = []

    def serve(world: World, relayers: list[str]) -> str:
        folder = write_site(pages, tmp_path_factory.mktemp("site") / "site", world, relayers)
        server = static_server(folder)
        servers.append(server)
        return server.__enter__()

    yield serve
    for server in servers:
        server.__exit__(None, None, None)


def test_voter_votes_revotes_and_checks_the_counted_ballot(
    site_for: SiteFor, new_context: NewContext, tmp_path: Path
) -> None:
    with demo_world() as world:
        relayer = start_relayer(world.rpc_url, world.relayer_account, tmp_path / "relayer")
        try:
            _vote_revote_check(world, relayer, site_for(world, [relayer.url]), new_context)
        finally:
            relayer.stop()


def _vote_revote_check(
    world: World, relayer: ServiceProcess, site: str, new_context: NewContext
) -> None:
    voter = VoterPage(new_context(locale="en-US").new_page(), site).open()
    commitment = voter.create_identity()

    world.register("south", [int(commitment)])
    world.fill_district("south", 2)
    world.open_voting()

    voter.open_ballot()
    assert voter.district_line() == "Your district: South"
    assert voter.list_names() == ["Green Harbour", "Common Cause"]
    voter.record_stages()
    voter.vote_for("Common Cause")
    first = voter.wait_until_included(revision=1)
    # Every stage is shown, in order, and the bar ends full.
    expect(voter.page.locator("#vote-progress-bar")).to_have_attribute("data-stage", "done")
    assert voter.stages() == ["download", "register", "prove", "send", "included", "done"]
    assert voter.page.locator("#vote-progress-bar").evaluate("bar => bar.value") == 100
    expect(voter.page.locator("#vote-stages li[data-state=done]")).to_have_count(5)
    assert first["district"] == "South"
    assert first["choice"] == "Common Cause"
    assert first["relayer"] == relayer.url
    assert re.fullmatch(r"0x[0-9a-f]{64}", first["transaction"])
    assert first["block"].isdigit()
    nullifier = int(first["nullifier"])
    counted = world.election.ballot_of(nullifier)
    assert (counted.district, counted.choice, counted.revision) == (SOUTH, 1, 1)

    voter.vote_for("Green Harbour")
    second = voter.wait_until_included(revision=2)
    assert second["nullifier"] == first["nullifier"]
    assert second["transaction"] != first["transaction"]
    counted = world.election.ballot_of(nullifier)
    assert (counted.district, counted.choice, counted.revision) == (SOUTH, 0, 2)

    checked = voter.check_ballot()
    assert checked["choice"] == "Green Harbour"
    assert checked["revision"] == "2"
    assert checked["count"] == "2"
    assert checked["transaction"] == second["transaction"]

    voter.switch_language("ru")
    expect(voter.page.locator("#receipt-fields dt").first).to_have_text("Номер квитанции")
    expect(voter.page.locator("#receipt-fields [data-field=status]")).to_have_text(
        "записан в открытый реестр"
    )
    expect(voter.page.locator("#check-result [data-field=status]")).to_have_text("засчитан")
    expect(voter.page.locator("#ballot-district")).to_have_text("Ваш округ: South")

    observer = ObserverPage(new_context().new_page(), site).open()
    observer.expect_district(SOUTH, "registered", "3")
    observer.expect_district(SOUTH, "voters", "1")
    observer.expect_district(SOUTH, "ballots", "2")
    observer.expect_district(SOUTH, "revotes", "1")
    observer.expect_district(SOUTH, "turnout", "33.3%")  # 1 voter of a register of 3


@pytest.fixture(scope="module")
def open_world() -> Iterator[tuple[World, list[Identity]]]:
    """An election in its voting phase, with voters registered in South beforehand (registers
    freeze when voting opens): each test restores one of their keys from its backup."""
    with demo_world() as world:
        world.fill_district("north", 3)
        voters = world.fill_district("south", 4)
        world.open_voting()
        yield world, voters


@pytest.fixture(scope="module")
def relayer(
    open_world: tuple[World, list[Identity]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    world, _ = open_world
    running = start_relayer(world.rpc_url, world.relayer_account, tmp_path_factory.mktemp("rl"))
    yield running
    running.stop()


def test_ballot_goes_through_the_next_relayer_when_the_first_is_down(
    open_world: tuple[World, list[Identity]],
    relayer: ServiceProcess,
    site_for: SiteFor,
    new_context: NewContext,
) -> None:
    world, voters = open_world
    down = f"http://127.0.0.1:{free_port()}"
    voter = VoterPage(new_context().new_page(), site_for(world, [down, relayer.url])).open()
    voter.restore_from_text(voters[0].export())
    voter.open_ballot()
    voter.vote_for("Common Cause")
    receipt = voter.wait_until_included(revision=1)
    assert receipt["relayer"] == relayer.url
    assert world.election.ballot_of(int(receipt["nullifier"])).choice == 1


def test_voter_is_told_when_no_relayer_answers(
    open_world: tuple[World, list[Identity]], site_for: SiteFor, new_context: NewContext
) -> None:
    world, voters = open_world
    down = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    voter = VoterPage(new_context().new_page(), site_for(world, down)).open()
    voter.restore_from_text(voters[1].export())
    voter.open_ballot()
    voter.vote_for("Common Cause")
    assert voter.vote_error() == "error.relayersDown"
    assert "No ballot box server is reachable" in voter.vote_error_text()
    nullifier = voters[1].nullifier(world.election.scope_signal())
    assert world.election.ballot_of(nullifier).revision == 0


def test_unregistered_voter_is_told_to_see_a_registrar(
    open_world: tuple[World, list[Identity]],
    relayer: ServiceProcess,
    site_for: SiteFor,
    new_context: NewContext,
) -> None:
    world, _ = open_world
    voter = VoterPage(new_context().new_page(), site_for(world, [relayer.url])).open()
    voter.create_identity()
    voter.page.locator("#prepare-ballot").click()
    assert voter.vote_error() == "error.notRegistered"
    assert "not on any district's list of voters" in voter.vote_error_text()


def test_vote_before_voting_opens_is_refused_with_the_dates(
    site_for: SiteFor, new_context: NewContext
) -> None:
    with demo_world() as world:
        voter = VoterPage(new_context().new_page(), site_for(world, [])).open()
        commitment = voter.create_identity()
        world.register("south", [int(commitment)])
        voter.page.locator("#prepare-ballot").click()
        assert voter.vote_error() == "error.votingClosed"
        assert "Voting is not open: it runs from" in voter.vote_error_text()
