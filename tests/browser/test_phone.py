"""Phone first: every page fits a 390 px wide screen (no element wider than the viewport, no
horizontal scroll), and the prover's files are fetched in the background and kept for the next
visit, so a voter never waits for 6 MB on the click."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewContext
from tests.browser.pages import VoterPage
from veche.protocol import SPEC

PHONE = {"width": 390, "height": 844}
ZK = SPEC["zk"]
PROVER_FILES = ["snarkjs.min.js", ZK["wasm"], ZK["zkey"], ZK["verificationKey"]]

TOO_WIDE = """() => [...document.querySelectorAll("body *")]
    .filter((e) => e.tagName !== "INPUT" && e.tagName !== "TEXTAREA")
    .filter((e) => {
        const box = e.getBoundingClientRect()
        return box.width > 0 && (box.right > innerWidth + 0.5 || box.left < -0.5)
    })
    .map((e) => `${e.tagName}#${e.id} (${Math.round(e.getBoundingClientRect().right)} px)`)"""


@pytest.fixture(scope="module")
def site(registration_site: str) -> str:
    return registration_site


def assert_fits(page: Page) -> None:
    assert page.evaluate(TOO_WIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("locale", ["ru-RU", "en-US"])
def test_the_voter_page_fits_a_phone(new_context: NewContext, site: str, locale: str) -> None:
    voter = VoterPage(new_context(locale=locale, viewport=PHONE).new_page(), site).open()
    assert_fits(voter.page)
    voter.create_identity()
    voter.page.locator("#toggle-backup").click()
    voter.sign_challenge("123456789")
    expect(voter.page.locator("#holder-qr svg")).to_be_visible()
    voter.page.locator("#holder-proof-box details summary").click()
    assert_fits(voter.page)


@pytest.mark.parametrize("name", ["desk.html", "observe.html"])
def test_the_desk_and_the_observers_page_fit_a_phone(
    new_context: NewContext, site: str, name: str
) -> None:
    page = new_context(locale="ru-RU", viewport=PHONE).new_page()
    page.goto(f"{site}/{name}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("table, #challenge-qr svg").first).to_be_visible()
    assert_fits(page)


def test_prover_files_arrive_in_the_background_and_stay_for_the_next_visit(
    new_context: NewContext, site: str
) -> None:
    context = new_context(viewport=PHONE)
    page = context.new_page()
    VoterPage(page, site).open()  # no click: the voter only reads
    cached = """async () => {
        const cache = await caches.open("veche-prover")
        return (await cache.keys()).map((r) => new URL(r.url).pathname.split("/").pop()).sort()
    }"""
    names: list[str] = []
    for _ in range(240):  # up to a minute: the files arrive in the background
        names = page.evaluate(cached)
        if names == sorted(PROVER_FILES):
            break
        page.wait_for_timeout(250)
    assert names == sorted(PROVER_FILES)

    requested: list[str] = []
    second = context.new_page()
    second.on("request", lambda request: requested.append(Path(request.url).name))
    VoterPage(second, site).open()
    second.wait_for_timeout(2_000)
    assert ZK["zkey"] not in requested and ZK["wasm"] not in requested
    assert "SHA256SUMS" in requested  # the cached copies are checked against this build's sums
