"""Fixtures for tests in a real browser: Debian's Chromium driven by Playwright (never a
downloaded browser), the pages built once per session, and helpers to open them."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.harness import build_pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here opens a browser and a chain: mark them so `-m "not slow"` skips them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The voter and observers' pages, built by frontend/build.mjs."""
    return build_pages(tmp_path_factory.mktemp("pages") / "dist")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser) -> Iterator[NewContext]:
    """Opens browser contexts (each one a separate device: its own storage), closed after the
    test. Keyword arguments go to Playwright (`locale="ru-RU"`...)."""
    opened: list[BrowserContext] = []

    def open_context(**options: object) -> BrowserContext:
        options.setdefault("locale", "en-US")
        options.setdefault("accept_downloads", True)
        context = browser.new_context(**options)  # type: ignore[arg-type]
        context.set_default_timeout(30_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Page:
    """A page on a fresh device, in English."""
    return new_context().new_page()
