"""Seconds from opening the voter page to "ready to vote" (the ballot shown), in Debian's headless
Chromium, for a voter of a given district whose key the browser kept: the page loads, downloads
the district's register snapshot, rebuilds its root with Poseidon in WebAssembly, checks it
against the chain's, finds the voter's previous ballot through one bucket of ballot locations,
and shows the ballot. Measured on a desktop profile and on a phone profile
(390x844, CPU slowed 4x through the DevTools protocol, one core: the throttling does not reach
workers, so the phone hashes the whole register on the page).

Used by bench/scale.py on its election (`measure`); nothing here builds a chain.
"""

import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from page import CHROMIUM, CHROMIUM_FLAGS, serve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from veche.chain.paths import REPO_ROOT

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True}  # fmt: skip
PHONE_CPU_SLOWDOWN = 4
TIMEOUT_MS = 600_000

READY = """() => {
    const form = document.getElementById("ballot-form")
    const error = document.getElementById("vote-error")
    if (form && !form.hidden) return { ms: performance.now() }
    if (error && !error.hidden) return { error: error.dataset.error, text: error.textContent }
    return null
}"""


@dataclass(frozen=True)
class Site:
    """What the page needs: the chain, the election, its canonical definition and snapshots."""

    rpc_url: str
    chain_id: int
    election: str
    definition_json: bytes
    snapshots: Path
    buckets: Path


def write_site(site: Site, pages: Path, folder: Path) -> Path:
    """The built pages with this election's config, definition and register snapshots."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(pages, folder)
    shutil.copytree(site.snapshots, folder / "snapshots")
    shutil.copytree(site.buckets, folder / "buckets")
    (folder / "definition.json").write_bytes(site.definition_json)
    config = {"rpcUrl": site.rpc_url, "chainId": site.chain_id, "election": site.election,
              "relayers": [], "definition": "definition.json", "snapshots": "snapshots",
              "ballotBuckets": "buckets", "pollSeconds": 60}  # fmt: skip
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    return folder


def measure(site: Site, work: Path, backup: str, district: int, runs: int = 3) -> dict[str, Any]:
    """The page's seconds to the ballot for the voter whose key `backup` is, downloading only
    `district`'s snapshot (the median of `runs` cold loads a profile, each in a fresh context:
    no cache), desktop and phone."""
    pages = work / "pages"
    subprocess.run(["node", str(REPO_ROOT / "frontend" / "build.mjs"), "--out", str(pages)],
                   check=True, capture_output=True, cwd=REPO_ROOT)  # fmt: skip
    server, url = serve(write_site(site, pages, work / "site"))
    try:
        # Playwright's sync API refuses to start in a thread whose asyncio loop is running, as the
        # main thread's is while another sync Playwright (a test session's browser) is open: the
        # browser is driven from a thread of its own.
        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(_measure_profiles, url, backup, district, runs).result()
    finally:
        server.terminate()
        server.wait()


def _measure_profiles(url: str, backup: str, district: int, runs: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        for profile in ("desktop", "phone"):
            seen: list[float | str] = []
            for _ in range(runs):
                try:
                    seen.append(_one_load(browser, url, backup, district, profile))
                except PlaywrightError as error:  # a crashed tab is a finding too
                    seen.append(f"failed: {str(error).splitlines()[0][:120]}")
                print(f"page, {profile}: {seen[-1]}", file=sys.stderr, flush=True)
            # The median of the loads that reached the ballot; a crashed tab (seen with the
            # phone's CPU throttling on a loaded machine) stays in `runs` and is counted.
            seconds = sorted(r for r in seen if isinstance(r, float))
            median = seconds[len(seconds) // 2] if seconds else None
            failed = len(seen) - len(seconds)
            figures[profile] = {"seconds": median, "runs": seen, "failed_runs": failed}
        browser.close()
    return figures


def _one_load(browser: Any, url: str, backup: str, district: int, profile: str) -> float:
    options = PHONE if profile == "phone" else {"viewport": {"width": 1280, "height": 800}}
    context = browser.new_context(locale="en-US", **options)
    try:
        context.add_init_script(f"localStorage.setItem('veche.identity', {json.dumps(backup)})")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        if profile == "phone":
            # DevTools' CPU throttling does not reach workers: the phone is given one core, so
            # the whole register is hashed on the throttled page (a conservative figure).
            context.add_init_script(
                "Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 1 })"
            )
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
        started = time.perf_counter()
        page.goto(f"{url}/index.html")
        page.wait_for_function("document.body.dataset.ready === 'true'", polling=50)
        page.select_option("#register-choice", str(district))
        page.click("#prepare-ballot")
        outcome = page.wait_for_function(READY, polling="raf").json_value()
        wall = time.perf_counter() - started
        if "error" in outcome:
            raise SystemExit(f"the page refused to open the ballot: {outcome['text']}")
        # The page's own clock from navigation start; the wall clock as a bound.
        return round(min(wall, outcome["ms"] / 1000), 2)
    finally:
        context.close()
