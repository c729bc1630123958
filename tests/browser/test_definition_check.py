"""The page shows ballot labels only from a definition whose keccak256 is the one on chain, and
refuses loudly otherwise (a host that relabels the lists must not fool a voter)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import NewContext
from tests.browser.harness import World, demo_world, static_server, write_site
from tests.browser.pages import ObserverPage, VoterPage
from veche.definition import canonical_json


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with demo_world() as running:
        yield running


def _relabelled(world: World) -> bytes:
    """The true definition with one list renamed: valid JSON, plausible, and false."""
    definition = json.loads(canonical_json(world.definition))
    definition["districts"][0]["lists"][0]["name"] = "Forged Party"
    return json.dumps(definition, sort_keys=True, separators=(",", ":")).encode()


def test_relabelled_definition_is_refused_on_the_voter_page(
    pages: Path, world: World, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [], definition_bytes=_relabelled(world))
    with static_server(folder) as url:
        voter = VoterPage(new_context().new_page(), url).open_expecting_failure()
        assert voter.fatal_error() == "error.definitionMismatch"
        assert "DANGER" in voter.page.locator("#banner").inner_text()
        assert "Forged Party" not in voter.page.content()
        assert not voter.page.locator("#vote").is_visible()


def test_relabelled_definition_is_refused_on_the_observers_page(
    pages: Path, world: World, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [], definition_bytes=_relabelled(world))
    with static_server(folder) as url:
        page = new_context().new_page()
        page.goto(f"{url}/observe.html")
        observer = VoterPage(page, url)
        assert observer.fatal_error() == "error.definitionMismatch"
        assert "Forged Party" not in page.content()


def test_true_definition_is_accepted(
    pages: Path, world: World, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [])
    with static_server(folder) as url:
        ObserverPage(new_context().new_page(), url).open()
        voter = VoterPage(new_context().new_page(), url).open()
        assert voter.page.locator("#election-title").inner_text() == world.definition.title


def test_rpc_of_another_chain_is_refused(
    pages: Path, world: World, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [], chainId=1)
    with static_server(folder) as url:
        voter = VoterPage(new_context().new_page(), url).open_expecting_failure()
        assert voter.fatal_error() == "error.wrongChain"
