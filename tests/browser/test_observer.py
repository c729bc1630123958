"""The observers' page follows the election from chain events alone: registrations per district,
exclusions on appeal with their reasons, and the published result, whose file it checks against
the hash on chain before showing a single figure from it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_utils import keccak
from playwright.sync_api import expect

from tests.browser.conftest import NewContext
from tests.browser.harness import ROOT, World, demo_world, static_server, write_site
from tests.browser.pages import ObserverPage
from veche.recount.recount import recount
from veche.recount.result import canonical_result

NORTH, SOUTH = 0, 1
REASON = "Registrar N-3 registered people who do not exist"
VERIFICATION_KEY = ROOT / "zk" / "artifacts" / "depth20" / "verification_key.json"


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """An election past its appeals, North excluded, its result published on chain."""
    with demo_world() as running:
        running.fill_district("north", 4)
        running.fill_district("south", 3)
        running.close_voting()
        running.election.exclude_district(running.organizer, NORTH, REASON, keccak(b"evidence"))
        running.end_appeals()
        yield running


@pytest.fixture(scope="module")
def result_bytes(world: World) -> bytes:
    """The result record as every recounter serialises it; its hash goes on chain."""
    counted = recount(world.w3, world.election.address, world.definition, VERIFICATION_KEY)
    world.election.publish_result(world.organizer, counted.result_hash)
    return canonical_result(counted.result)


def test_observers_see_registrations_and_exclusion_with_reason(
    pages: Path, world: World, result_bytes: bytes, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [], result_bytes=result_bytes)
    with static_server(folder) as url:
        observer = ObserverPage(new_context().new_page(), url).open()
        observer.expect_district(NORTH, "registered", "4")
        observer.expect_district(SOUTH, "registered", "3")
        observer.expect_district(NORTH, "state", "excluded")
        observer.expect_district(SOUTH, "state", "counted")
        exclusion = observer.page.locator("#exclusion-list li[data-kind=excluded]")
        expect(exclusion).to_contain_text(f"North excluded. Reason: {REASON}")
        expect(observer.page.locator("[data-phase]")).to_have_text("Current phase: final")


def test_published_result_is_shown_once_its_file_matches_the_hash(
    pages: Path, world: World, result_bytes: bytes, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [], result_bytes=result_bytes)
    with static_server(folder) as url:
        observer = ObserverPage(new_context().new_page(), url).open()
        body = observer.page.locator("#result-body")
        expect(body.locator("[data-result=verified]")).to_be_visible()
        expect(body).to_contain_text("0x" + keccak(result_bytes).hex())
        expect(body.locator("[data-table=district-south] th[scope=row]")).to_have_text(
            ["Green Harbour", "Common Cause"]
        )
        expect(body.locator("[data-table=parliament]")).to_be_visible()


def test_result_file_that_differs_from_the_hash_is_refused(
    pages: Path, world: World, result_bytes: bytes, tmp_path: Path, new_context: NewContext
) -> None:
    forged = result_bytes.replace(b'"votes":0', b'"votes":9', 1)
    assert forged != result_bytes
    folder = write_site(pages, tmp_path / "site", world, [], result_bytes=forged)
    with static_server(folder) as url:
        observer = ObserverPage(new_context().new_page(), url).open()
        body = observer.page.locator("#result-body")
        expect(body.locator("[data-result=mismatch]")).to_be_visible()
        expect(body.locator("[data-table=parliament]")).to_have_count(0)
        expect(body.locator("table")).to_have_count(0)
