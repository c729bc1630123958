"""The observers' page follows the election from chain events alone: registrations per district,
exclusions on appeal with their reasons, and the published result, whose file it checks against
the hash on chain before showing a single figure from it."""

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak
from playwright.sync_api import Locator, expect

from tests.browser.conftest import NewContext
from tests.browser.harness import World, demo_world, static_server, write_site
from tests.browser.pages import ObserverPage
from veche.keys import verification_key_path
from veche.recount.audit import Reports, audit
from veche.recount.recount import RecountResult, recount
from veche.recount.result import canonical_result

NORTH, SOUTH = 0, 1
REASON = "Registrar N-3 registered people who do not exist"
VERIFICATION_KEY = verification_key_path()


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
def counted(world: World) -> RecountResult:
    """The recount, with its 2% report, of the election; its result hash goes on chain."""
    result = recount(world.w3, world.election.address, world.definition, VERIFICATION_KEY)
    world.election.publish_result(world.organizer, result.result_hash)
    result.audit = audit(world.definition, result, Reports())
    return result


@pytest.fixture(scope="module")
def result_bytes(counted: RecountResult) -> bytes:
    """The result record as every recounter serialises it."""
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
        expect(observer.page.locator("[data-phase]")).to_have_text(
            "Current phase: result published"
        )


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
        # The record says why North's seats are vacant with a code; the page words it.
        expect(body.locator("[data-vacancy=excluded]")).to_have_text(
            "Vacant seats: 3 (the district was excluded on appeal)"
        )


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


@pytest.fixture
def observe_with_audit(
    pages: Path, world: World, result_bytes: bytes, tmp_path: Path, new_context: NewContext
) -> Callable[[dict[str, Any]], AbstractContextManager[Locator]]:
    """Opens the observers' page on a site that also publishes `record` as its recount record;
    yields the result section."""

    @contextmanager
    def observe(record: dict[str, Any]) -> Iterator[Locator]:
        folder = write_site(
            pages, tmp_path / "site", world, [], result_bytes=result_bytes, audit="recount.json"
        )
        (folder / "recount.json").write_text(json.dumps(record))
        with static_server(folder) as url:
            yield ObserverPage(new_context().new_page(), url).open().page.locator("#result-body")

    return observe


def test_the_2_percent_report_is_shown_for_the_published_result(
    observe_with_audit: Callable[[dict[str, Any]], AbstractContextManager[Locator]],
    counted: RecountResult,
) -> None:
    with observe_with_audit(counted.record()) as body:
        # Nobody voted in this world: nothing to distort, nothing counted, no margins.
        expect(body.locator("[data-audit=within]")).to_have_text(
            "Total 0 of a turnout of 0 (—%): within the 2% limit."
        )
        expect(body.locator("[data-table=margins] th[scope=row]")).to_have_text(
            ["north", "south", "east"]
        )
        expect(body.locator("[data-audit=unseen]")).to_contain_text(
            "a registrar registering people who do not exist, within its quota"
        )


def test_a_2_percent_report_about_another_result_is_not_shown(
    observe_with_audit: Callable[[dict[str, Any]], AbstractContextManager[Locator]],
    counted: RecountResult,
) -> None:
    with observe_with_audit({**counted.record(), "resultHash": "0x" + "00" * 32}) as body:
        expect(body.locator("[data-audit=other-result]")).to_be_visible()
        expect(body.locator("[data-table=margins]")).to_have_count(0)


def test_every_table_downloads_as_csv_and_json_with_the_figures_shown(
    pages: Path, world: World, result_bytes: bytes, tmp_path: Path, new_context: NewContext
) -> None:
    import csv
    import io
    import json

    folder = write_site(pages, tmp_path / "site", world, [], result_bytes=result_bytes)
    with static_server(folder) as url:
        observer = ObserverPage(new_context().new_page(), url).open()
        observer.expect_district(NORTH, "registered", "4")
        page = observer.page
        tables = page.locator("table").count()
        assert tables >= 2
        expect(page.locator("p.downloads a[data-download=csv]")).to_have_count(tables)
        links = page.locator("p.downloads[data-for=districts]")
        with page.expect_download() as got:
            links.locator("a[data-download=csv]").click()
        rows = list(csv.reader(io.StringIO(Path(got.value.path()).read_text())))
        assert rows[0][:2] == ["District", "Registered voters"]
        north = next(row for row in rows if row[0] == "North")
        assert north[1] == observer.district_row(NORTH)["registered"] == "4"
        with page.expect_download() as got:
            links.locator("a[data-download=json]").click()
        records = json.loads(Path(got.value.path()).read_text())
        assert {"District": "South", "Registered voters": "3"}.items() <= records[1].items()
