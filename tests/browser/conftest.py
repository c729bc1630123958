"""Fixtures for tests in a real browser: Debian's Chromium driven by Playwright (never a
downloaded browser), the pages built once per session, and helpers to open them."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.camera import blank_picture, camera_flags, show_to_camera
from tests.browser.harness import build_pages, demo_world, static_server, write_site

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
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
    )
    yield chromium
    chromium.close()


Camera = tuple[Page, Path]
"""A page on a device with a camera, and the video file that camera shows."""


@pytest.fixture
def device_with_camera(playwright: Playwright, tmp_path: Path) -> Iterator[Callable[[str], Camera]]:
    """Opens a Chromium of its own (camera flags are per browser) whose camera shows the file it
    returns: a blank picture until a test writes another with `show_to_camera`."""
    browsers: list[Browser] = []

    def open_device(name: str) -> Camera:
        video = tmp_path / f"{name}-camera.y4m"
        show_to_camera(blank_picture(), video)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS + camera_flags(video)
        )
        browsers.append(browser)
        context = browser.new_context(locale="en-US")
        context.set_default_timeout(30_000)
        return context.new_page(), video

    yield open_device
    for browser in browsers:
        browser.close()


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


@pytest.fixture(scope="module")
def registration_site(pages: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The pages of the demo election on a fresh chain, registration open, no relayer: enough
    for the key, the desk and the backup."""
    with demo_world() as world:
        folder = write_site(pages, tmp_path_factory.mktemp("site") / "site", world, relayers=[])
        with static_server(folder) as url:
            yield url
