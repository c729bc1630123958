"""The observers' page people can read: charts with axes and labels, turnout per district in
percent, registrations per registrar over time, the elected members and a hemicycle, at a
phone's and a desktop's width; and, for a million voters, a start from a published summary
(`veche recount --summary`) that the page checks against the chain, then follows live, without
ever asking for a block by number to learn its time."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from playwright.sync_api import Page, Request, expect

from tests.browser.conftest import NewContext
from tests.browser.harness import DEMO_DEFINITION, World, demo_world, static_server, write_site
from tests.browser.pages import ObserverPage
from tests.browser.test_phone import TOO_WIDE
from tests.contracts.ballots import Voter, make_ballot
from tests.person_tags import stand_in_tags
from veche.chain.client import dev_accounts
from veche.cli.main import main as veche
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover
from veche.keys import verification_key_path
from veche.recount.recount import recount
from veche.recount.result import canonical_result

NORTH, SOUTH, EAST = 0, 1, 2
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def second_registrar(world: World) -> LocalAccount:
    """Another registrar, allowed 50 registrations in every district."""
    account = dev_accounts(4)[3]
    world.election.authorize_registrar(
        world.organizer, account.address, {d: 50 for d in range(len(world.definition.districts))}
    )
    return account


@pytest.fixture(scope="module")
def finished() -> Iterator[tuple[World, bytes, str]]:
    """An election past its appeals with its result published: two registrars, three ballots
    in North (one of them a re-vote) and one in South. Yields the world, the result file's
    bytes and the second registrar's address."""
    with demo_world() as world:
        other = second_registrar(world)
        north = [Voter(v) for v in world.fill_district("north", 3)]
        south = [Voter(v) for v in world.fill_district("south", 3)]
        world.fill_district("east", 3)
        late = [Identity.generate() for _ in range(2)]
        commitments = [v.commitment for v in late]
        world.election.add_members(other, SOUTH, commitments, stand_in_tags(commitments))
        world.open_voting()
        with Prover() as prover:
            for voter, district, choice, revision in [
                (north[0], NORTH, 0, 1),
                (north[1], NORTH, 1, 1),
                (north[0], NORTH, 1, 2),
                (south[0], SOUTH, 0, 1),
            ]:
                ballot = make_ballot(prover, world.election, voter, district, choice, revision)
                ballot.cast(world.election, world.relayer_account)
        world.close_voting()
        world.end_appeals()
        counted = recount(
            world.w3, world.election.address, world.definition, verification_key_path()
        )
        # The test world moves the calendar to now, away from the definition's dates: the only
        # discrepancy the recount may find.
        assert counted.discrepancies == ["the contract's calendar differs from the definition's"]
        world.election.publish_result(world.organizer, counted.result_hash)
        yield world, canonical_result(counted.result), other.address.lower()


Observe = Callable[..., ObserverPage]


@pytest.fixture
def observe(
    pages: Path, finished: tuple[World, bytes, str], tmp_path: Path, new_context: NewContext
) -> Iterator[Observe]:
    """Opens the finished election's observers' page (context options: viewport, locale...)
    once its result file is verified."""
    world, result_bytes, _ = finished
    folder = write_site(pages, tmp_path / "site", world, [], result_bytes=result_bytes)
    with static_server(folder) as url:

        def open_page(**options: Any) -> ObserverPage:
            page = new_context(**options).new_page()
            observer = ObserverPage(page, url).open()
            expect(page.locator("#result-body [data-result=verified]")).to_be_visible()
            return observer

        yield open_page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("locale", ["en-US", "ru-RU"])
def test_every_chart_has_axes_and_labels_and_the_page_fits_the_screen(
    observe: Observe, tmp_path: Path, viewport: dict[str, int], locale: str
) -> None:
    page = observe(viewport=viewport, locale=locale).page
    # Folds draw their content when opened: open them all, then those that appeared.
    charts = page.locator("svg.chart:not(.hemicycle)")
    for _ in range(2):
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true })")
        page.wait_for_timeout(200)
    # Turnout, registrations and voters for the election and for each district, registrars.
    expect(charts).to_have_count(1 + 2 * (1 + 3) + 1)
    for chart in charts.all():
        for axis in ("x", "y"):
            assert chart.locator(f".axis-{axis} .tick").count() >= 2
            label = chart.locator(f".axis-label-{axis}")
            expect(label).to_have_count(1)
            assert (label.text_content() or "").strip() != ""
        assert (chart.get_attribute("aria-label") or "").strip() != ""
    assert page.evaluate(TOO_WIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # VECHE_SCREENSHOTS=folder keeps the pictures for a person to look at.
    shots = Path(os.environ.get("VECHE_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"observe-{viewport['width']}-{locale}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_turnout_is_a_share_of_each_register_in_figures_and_bars(observe: Observe) -> None:
    observer = observe()
    observer.expect_district(NORTH, "turnout", "66.7%")  # 2 voters of 3 (one re-voted)
    observer.expect_district(SOUTH, "turnout", "20.0%")  # 1 voter of 5
    observer.expect_district(EAST, "turnout", "0.0%")
    bars = observer.page.locator("#district-table svg.chart rect.bar")
    expect(bars).to_have_count(3)
    heights = [float(bar.get_attribute("height") or "0") for bar in bars.all()]
    assert heights[NORTH] / heights[SOUTH] == pytest.approx(66.67 / 20, rel=0.01)
    assert heights[EAST] == 0
    expect(observer.page.locator("#district-table .axis-label-y")).to_have_text("Turnout, %")


def test_registrations_per_registrar_over_time(
    observe: Observe, finished: tuple[World, bytes, str]
) -> None:
    world, _, other = finished
    page = observe().page
    rows = page.locator("[data-table=registrars] tr[data-registrar]")
    counts = {
        row.get_attribute("data-registrar"): row.locator(
            "td[data-column=registrations]"
        ).inner_text()
        for row in rows.all()
    }
    assert counts == {world.registrar.address.lower(): "9", other: "2"}
    assert "North: 50" in page.locator(f"tr[data-registrar='{other}']").inner_text()
    lines = page.locator("#registrar-charts svg.chart path.series")
    expect(lines).to_have_count(2)
    page.locator("#registrar-charts details.figures summary").click()
    over_time = page.locator("[data-table=registrars-over-time] tr")
    expect(over_time.first).to_be_visible()
    last = over_time.nth(over_time.count() - 1).locator("td.count")
    assert last.all_inner_texts() == ["9", "2"]  # the busiest registrar first


def test_the_elected_members_and_the_hemicycle_match_the_published_result(
    observe: Observe, finished: tuple[World, bytes, str]
) -> None:
    record = json.loads(finished[1])
    page = observe().page
    expected = [
        name
        for district in record["districts"]
        for row in district["lists"]
        for name in row["elected"]
    ]
    assert expected  # North and South elect members
    expect(page.locator("[data-table=elected] tr th[scope=row]")).to_have_text(expected)
    seats = {row["list"]: row["seats"] for row in record["parliament"] if row["seats"] > 0}
    expect(page.locator("svg.hemicycle circle")).to_have_count(sum(seats.values()))
    for name, count in seats.items():
        expect(page.locator(f"svg.hemicycle circle[data-list='{name}']")).to_have_count(count)
    expect(page.locator(".hemicycle .legend li")).to_have_count(len(seats))


# --- the page at a million: a published summary ---------------------------------------------


def write_summary(world: World, folder: Path) -> dict[str, Any]:
    """`veche recount --summary` into the site folder; returns the summary."""
    out = folder / "summary.json"
    code = veche(
        [
            "recount",
            "--rpc",
            world.rpc_url,
            "--election",
            world.election.address,
            "--definition",
            str(DEMO_DEFINITION),
            "--summary",
            str(out),
        ]
    )
    assert code == 3  # the test world's calendar is not the definition's (see `finished`)
    summary: dict[str, Any] = json.loads(out.read_text())
    return summary


class BlockRequests:
    """The `eth_getBlockByNumber` requests a page sends, by block asked for."""

    def __init__(self, page: Page) -> None:
        self.blocks: list[str] = []
        page.on("request", self.seen)

    def seen(self, request: Request) -> None:
        if request.method != "POST" or not request.post_data:
            return
        body = json.loads(request.post_data)
        for call in body if isinstance(body, list) else [body]:
            if call.get("method") == "eth_getBlockByNumber":
                self.blocks.append(str(call["params"][0]))

    def by_number(self) -> list[str]:
        return [block for block in self.blocks if block != "latest"]


@pytest.fixture
def registering(pages: Path, tmp_path: Path) -> Iterator[tuple[World, Path]]:
    """An election during registration, North and South partly registered, and its site."""
    with demo_world() as world:
        world.fill_district("north", 3)
        world.fill_district("south", 2)
        yield world, write_site(pages, tmp_path / "site", world, [], summary="summary.json")


def test_the_page_starts_from_a_checked_summary_and_follows_new_blocks(
    registering: tuple[World, Path], new_context: NewContext
) -> None:
    world, folder = registering
    summary = write_summary(world, folder)
    assert [d["registered"] for d in summary["districts"]] == [3, 2, 0]
    world.fill_district("south", 2)  # after the summary: the page reads it from the chain
    with static_server(folder) as url:
        page = new_context().new_page()
        blocks = BlockRequests(page)
        observer = ObserverPage(page, url).open()
        expect(page.locator("#summary-status")).to_have_attribute("data-summary", "checked")
        observer.expect_district(NORTH, "registered", "3")
        observer.expect_district(SOUTH, "registered", "4")
        world.fill_district("east", 1)  # live: the page follows new blocks
        observer.expect_district(EAST, "registered", "1")
        registrar = world.registrar.address.lower()
        expect(
            page.locator(f"tr[data-registrar='{registrar}'] td[data-column=registrations]")
        ).to_have_text("8")
        # One block asked for by number (the summary's, to check its hash), never one per event.
        assert blocks.by_number() == [hex(summary["block"])]


def test_a_summary_that_disagrees_with_the_chain_is_not_used(
    registering: tuple[World, Path], new_context: NewContext
) -> None:
    world, folder = registering
    summary = write_summary(world, folder)
    # A forger adds 100 registrations to South, consistently everywhere the page can add up.
    forged = json.loads(json.dumps(summary))
    forged["districts"][SOUTH]["registered"] += 100
    forged["districts"][SOUTH]["registeredBySlot"][0] += 100
    forged["registrars"][0]["registered"] += 100
    forged["registrars"][0]["registeredBySlot"][0] += 100
    forged["eventCounts"]["MemberAdded"] += 100
    (folder / "summary.json").write_text(json.dumps(forged))
    with static_server(folder) as url:
        page = new_context().new_page()
        observer = ObserverPage(page, url).open()
        status = page.locator("#summary-status")
        expect(status).to_have_attribute("data-summary", "mismatch")
        expect(status).to_have_attribute("role", "alert")
        expect(status.locator("li")).to_contain_text(
            ["district 1: 2 registered on the ledger, 102 in the summary"]
        )
        observer.expect_district(SOUTH, "registered", "2")  # from the chain itself


def test_the_page_reads_every_event_time_from_the_logs_without_asking_for_blocks(
    finished: tuple[World, bytes, str], pages: Path, tmp_path: Path, new_context: NewContext
) -> None:
    world, result_bytes, _ = finished
    folder = write_site(pages, tmp_path / "site", world, [], result_bytes=result_bytes)
    with static_server(folder) as url:
        page = new_context().new_page()
        blocks = BlockRequests(page)  # listening before the page opens
        ObserverPage(page, url).open()
        expect(page.locator("#result-body [data-result=verified]")).to_be_visible()
        assert blocks.blocks  # the page does ask for the latest block (the ledger's clock)
        assert blocks.by_number() == []


def test_the_summary_names_no_voter_key_person_or_ballot(
    finished: tuple[World, bytes, str], tmp_path: Path
) -> None:
    """Counts only: no commitment, dedup tag, nullifier or proof of the election is in it."""
    world, _, _ = finished
    text = json.dumps(write_summary(world, tmp_path)).lower()
    scan = recount(world.w3, world.election.address, world.definition, verification_key_path()).scan
    assert scan is not None and scan.members and scan.ballots
    private = [m.commitment for m in scan.members] + [int(m.tag, 16) for m in scan.members]
    private += [b.nullifier for b in scan.ballots]
    private += [word for b in scan.ballots for word in b.proof or ()]
    for value in private:
        assert str(value) not in text
        assert f"{value:064x}" not in text


def test_a_following_recount_keeps_the_summary_up_to_date(
    registering: tuple[World, Path],
) -> None:
    """`veche recount --follow SECONDS --summary FILE` rewrites the summary every round, as a
    ballot box server or any observer publishing it would run it."""
    world, folder = registering
    out = folder / "summary.json"
    command = [sys.executable, "-m", "veche.cli.main", "recount", "--rpc", world.rpc_url,
               "--election", world.election.address, "--definition", str(DEMO_DEFINITION),
               "--summary", str(out), "--follow", "0.5"]  # fmt: skip
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    # As a terminal's Ctrl-C meets it, even when the test run was started in the background
    # (which ignores SIGINT in every process it starts).
    interruptible = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, text=True, preexec_fn=interruptible
    ) as follower:
        try:

            def registered() -> list[int]:
                for _ in range(120):
                    if out.exists():
                        return [d["registered"] for d in json.loads(out.read_text())["districts"]]
                    time.sleep(0.25)
                raise AssertionError("no summary written")

            assert registered() == [3, 2, 0]
            world.fill_district("east", 4)
            for _ in range(120):
                if registered() == [3, 2, 4]:
                    break
                time.sleep(0.25)
            assert registered() == [3, 2, 4]
        finally:
            follower.send_signal(signal.SIGINT)
            follower.wait(timeout=30)
    assert follower.returncode == 3  # the test world's calendar is not the definition's


def test_a_long_list_of_registrars_is_folded_until_opened(
    registering: tuple[World, Path], new_context: NewContext
) -> None:
    """With a thousand registrars a phone would scroll past a thousand cards: beyond 30 the
    table is drawn when someone opens its fold, with its downloads."""
    world, folder = registering
    for number in range(30):
        address = "0x" + keccak(b"registrar %d" % number)[-20:].hex()
        world.election.authorize_registrar(world.organizer, address, {SOUTH: 5})
    with static_server(folder) as url:
        page = ObserverPage(new_context().new_page(), url).open().page
        fold = page.locator("#registrar-charts details[data-fold=registrars]")
        expect(fold.locator("summary")).to_contain_text("Every registrar (31)")
        expect(page.locator("[data-table=registrars]")).to_have_count(0)
        fold.locator("summary").click()
        expect(page.locator("[data-table=registrars] tr[data-registrar]")).to_have_count(31)
        expect(page.locator("p.downloads[data-for=registrars] a")).to_have_count(2)
