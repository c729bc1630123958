"""Russian and English: the page speaks the browser's preferred language and switches at once,
including the parts it writes itself (phase, errors)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewContext
from tests.browser.harness import demo_world, static_server, write_site
from tests.browser.pages import VoterPage


@pytest.fixture(scope="module")
def site(pages: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_world() as world:
        folder = write_site(pages, tmp_path_factory.mktemp("site") / "site", world, relayers=[])
        with static_server(folder) as url:
            yield url


def _heading(voter: VoterPage) -> str:
    return voter.page.locator("#check-heading").inner_text()


def test_russian_browser_gets_the_page_in_russian(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context(locale="ru-RU").new_page(), site).open()
    assert voter.page.locator("html").get_attribute("lang") == "ru"
    assert _heading(voter) == "4. Проверить мой бюллетень"
    expect(voter.page.locator("[data-phase]")).to_have_text("Сейчас идёт этап: регистрация")


def test_other_browsers_get_the_page_in_english(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context(locale="de-DE").new_page(), site).open()
    assert voter.page.locator("html").get_attribute("lang") == "en"
    assert _heading(voter) == "4. Check my ballot"


def test_switching_language_translates_static_and_written_text(
    new_context: NewContext, site: str
) -> None:
    voter = VoterPage(new_context(locale="en-US").new_page(), site).open()
    voter.restore_from_text("not a backup")
    voter.switch_language("ru")
    assert _heading(voter) == "4. Проверить мой бюллетень"
    expect(voter.page.locator("[data-phase]")).to_have_text("Сейчас идёт этап: регистрация")
    expect(voter.page.locator("#identity-error")).to_contain_text("Это не резервная копия")
    assert voter.page.locator("button[data-lang=ru]").get_attribute("aria-pressed") == "true"
    voter.switch_language("en")
    assert _heading(voter) == "4. Check my ballot"
