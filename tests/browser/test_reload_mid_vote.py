"""Fault: the voter's page is reloaded in the middle of a vote (a tab closed, a phone that kills
the browser, a nervous voter), in real Chromium against a real relayer and chain.

The page keeps nothing but the key on the device (a stored receipt would tell whoever holds the
phone how its owner voted), so after a reload it learns its state again from the chain. Either
the ballot had reached the relayer, which then counts it, or it had not, and voting again is a
first ballot; in no case is a ballot lost once the relayer accepted it, and none is counted
twice.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewContext
from tests.browser.harness import World, demo_world, start_relayer, static_server, write_site
from tests.browser.pages import VoterPage
from veche.crypto.identity import Identity
from veche.devnet import ServiceProcess

pytestmark = [pytest.mark.browser, pytest.mark.chain, pytest.mark.slow]


@pytest.fixture(scope="module")
def voting(
    pages: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[World, list[Identity], ServiceProcess, str]]:
    with demo_world() as world:
        voters = world.fill_district("south", 3)
        world.open_voting()
        relayer = start_relayer(world.rpc_url, world.relayer_account, tmp_path_factory.mktemp("r"))
        folder = write_site(pages, tmp_path_factory.mktemp("site") / "site", world, [relayer.url])
        try:
            with static_server(folder) as site:
                yield world, voters, relayer, site
        finally:
            relayer.stop()


def _voter_with_kept_key(new_context: NewContext, site: str, identity: Identity) -> VoterPage:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.restore_from_text(identity.export())
    voter.keep_key_in_browser()
    return voter


def _reload(voter: VoterPage) -> None:
    voter.page.reload()
    expect(voter.page.locator("body")).to_have_attribute("data-ready", "true")
    assert voter.has_identity(), "the kept key is lost on reload"


def _ballots_of(world: World, nullifier: int) -> list[int]:
    return [e.revision for e in world.election.ballot_events() if e.nullifier == nullifier]


def test_reload_after_the_relayer_took_the_ballot(voting, new_context: NewContext) -> None:
    """Reloaded while the accepted ballot waits for its block: it is counted once, the page
    shows it after the reload, and the next vote is a re-vote (revision 2), not a second
    first ballot."""
    world, voters, _, site = voting
    nullifier = voters[0].nullifier(world.election.scope_signal())
    voter = _voter_with_kept_key(new_context, site, voters[0])
    voter.open_ballot()
    world.w3.provider.make_request("evm_setAutomine", [False])
    try:
        voter.vote_for("Common Cause")
        deadline = time.monotonic() + 90
        while world.w3.provider.make_request("txpool_status", [])["result"]["pending"] in (
            0,
            "0x0",
        ):
            assert time.monotonic() < deadline, "the relayer never sent the ballot"
            time.sleep(0.2)
        _reload(voter)  # the ballot is in the node's pool, not yet in a block
    finally:
        world.w3.provider.make_request("evm_setAutomine", [True])
    world.w3.provider.make_request("evm_mine", [])
    deadline = time.monotonic() + 60
    while world.election.ballot_of(nullifier).revision != 1:
        assert time.monotonic() < deadline, "the accepted ballot was lost after the reload"
        time.sleep(0.5)

    _reload(voter)
    checked = voter.check_ballot()
    assert (checked["choice"], checked["revision"]) == ("Common Cause", "1")
    voter.open_ballot()
    expect(voter.page.locator("#revote-note")).to_be_visible()
    voter.vote_for("Green Harbour")
    voter.wait_until_included(revision=2)
    assert _ballots_of(world, nullifier) == [1, 2]
    assert world.election.ballot_of(nullifier).choice == 0


def test_reload_while_proving_sends_nothing_and_a_new_vote_counts_once(
    voting, new_context: NewContext
) -> None:
    """Reloaded before the ballot left the page: nothing reached the relayer or the chain; the
    vote made after the reload is the first ballot, counted once."""
    world, voters, _, site = voting
    nullifier = voters[1].nullifier(world.election.scope_signal())
    voter = _voter_with_kept_key(new_context, site, voters[1])
    voter.open_ballot()
    voter.vote_for("Common Cause")
    expect(voter.page.locator("#vote-progress-bar")).to_have_attribute("data-stage", "prove")
    _reload(voter)
    time.sleep(2)
    assert _ballots_of(world, nullifier) == []

    voter.open_ballot()
    expect(voter.page.locator("#revote-note")).to_be_hidden()
    voter.vote_for("Green Harbour")
    voter.wait_until_included(revision=1)
    assert _ballots_of(world, nullifier) == [1]
    assert world.election.ballot_of(nullifier).choice == 0
