"""The voter's page on a phone and on a desktop, measured in Debian's Chromium against a local
election (anvil, a real relayer). Writes `out/bench/page.json`.

    .venv/bin/python bench/page.py [--voters-per-district 20] [--desktop-ballots 3]

Phone profile: a 390x844 screen, the CPU slowed 6 times (DevTools' CPU throttling) and a 1.6
Mbit/s network with 150 ms of latency. The voter opens the page and reads (the prover's files
and the register arrive in the background), opens the ballot and votes; the bench times the
click to the receipt (the relayer accepted the ballot) and to its inclusion on chain, stage by
stage. Targets: click to receipt <= 15 s once the background fetch is done.

Caveat (also in the JSON): DevTools' CPU throttling slows the page's main thread, not the
prover's Web Worker, so the phone's proof stage is not slowed 6 times.

Desktop: no throttling; the proof time of the page's Web Worker (the "sealing" stage, from the
page's own progress stages) against node's snarkjs on the same machine (`veche.crypto.prover`,
after a warm-up proof). Target: <= 2x node's.
"""

import argparse
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import OUT, open_election, start_relayer
from playwright.sync_api import BrowserContext, Page, sync_playwright

from veche.chain.anvil import Anvil
from veche.chain.client import connect
from veche.chain.paths import REPO_ROOT
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover
from veche.devnet import free_port

sys.path.insert(0, str(REPO_ROOT))
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

PHONE = {"width": 390, "height": 844}
CPU_SLOWDOWN = 6
NETWORK = {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
TIMEOUT_MS = 180_000

RECORD_STAGES = """() => {
    window.__stages = []
    const bar = document.getElementById("vote-progress-bar")
    new MutationObserver(() => {
        const stage = bar.dataset.stage
        if (stage && window.__stages.at(-1)?.stage !== stage) {
            window.__stages.push({ stage, at: performance.now() })
        }
    }).observe(bar, { attributes: true })
}"""
SHOWN = """() => ({
    stage: document.getElementById("vote-progress-bar").dataset.stage,
    progress: document.getElementById("vote-progress-text").textContent,
    error: document.getElementById("vote-error").textContent,
})"""
PROVER_READY = "body[data-prover=ready]"
"""Set by the page when the prover's files are here and checked and its worker has started."""


def log(message: str) -> None:
    print(f"[page bench] {message}", flush=True)


def write_site(
    pages: Path,
    folder: Path,
    rpc_url: str,
    chain_id: int,
    election: Any,
    definition: bytes,
    relayer: str,
) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(pages, folder)
    config = {
        "rpcUrl": rpc_url,
        "chainId": chain_id,
        "election": election,
        "relayers": [relayer],
        "definition": "definition.json",
        "pollSeconds": 2,
    }
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "definition.json").write_bytes(definition)
    return folder


def serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A plain static server in its own process (the page's downloads must not wait on this
    process's Python threads)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    return process, f"http://127.0.0.1:{port}"


def open_voter(page: Page, site: str, voter: Identity) -> float:
    """Opens the page, brings the voter's key back from its text, and waits for the background
    preparation (the prover's files downloaded and checked, its worker and curve ready); returns
    the seconds from opening to then."""
    started = time.perf_counter()
    page.goto(f"{site}/index.html")
    page.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
    page.locator("#restore-text").fill(voter.export())
    page.locator("#restore-form button[type=submit]").click()
    page.wait_for_selector(PROVER_READY, state="attached", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def vote(page: Page, list_index: int, revision: int) -> dict[str, Any]:
    """Opens the ballot, votes, and times the click to the receipt and to inclusion."""
    opened = time.perf_counter()
    page.locator("#prepare-ballot").click()
    page.wait_for_selector("#ballot-form:not([hidden])", timeout=TIMEOUT_MS)
    prepared = time.perf_counter()
    page.evaluate(RECORD_STAGES)
    page.locator(f"#choice-{list_index}").check()
    clicked = time.perf_counter()
    click = page.evaluate("performance.now()")
    page.locator("#cast-ballot").click()
    page.wait_for_selector(
        f"#receipt-fields[data-status=included] dd[data-field=revision]:text-is('{revision}')",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_selector("#vote-progress-bar[data-stage=done]", timeout=TIMEOUT_MS)
    included = time.perf_counter()
    stages = page.evaluate("window.__stages")
    # A stage lasts from its start to the next stage's start ("done" closes the last one).
    seconds = {
        entry["stage"]: round((following["at"] - entry["at"]) / 1000, 3)
        for entry, following in itertools.pairwise(stages)
    }
    return {
        "openBallotSeconds": round(prepared - opened, 3),
        # the receipt is shown when the relayer accepts the ballot: the "included" stage begins
        "clickToReceiptSeconds": round(
            (next(e["at"] for e in stages if e["stage"] == "included") - click) / 1000, 3
        ),
        "clickToIncludedSeconds": round(included - clicked, 3),
        "stageSeconds": seconds,
        "stagesSeen": [entry["stage"] for entry in stages],
    }


def throttle(context: BrowserContext, page: Page) -> None:
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {"offline": False, **NETWORK})


def node_proof_seconds(
    count: int, prover: Prover | None = None, inputs: dict[str, Any] | None = None
) -> list[float]:
    """Seconds of `count` proofs in node after a warm-up; default: the plain circuit's prover
    and the shared vector's voter (`valid_member`)."""
    if inputs is None:
        cases = json.loads((REPO_ROOT / "tests" / "vectors" / "proofs.json").read_text())["cases"]
        inputs = next(c for c in cases if c["name"] == "valid_member")["context"]["circuitInput"]
    times = []
    with prover or Prover() as running:
        running.prove(inputs)  # warm-up: node start, keys and curve
        for _ in range(count):
            started = time.perf_counter()
            running.prove(inputs)
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters-per-district", type=int, default=20)
    parser.add_argument("--desktop-ballots", type=int, default=3)
    parser.add_argument("--phone-only", action="store_true", help="skip the desktop and node runs")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    work = OUT / "page-work"
    shutil.rmtree(work, ignore_errors=True)  # a relayer database from another chain has its nonces
    pages = work / "dist"
    log("building the pages")
    subprocess.run(
        ["node", str(REPO_ROOT / "frontend" / "build.mjs"), "--out", str(pages)],
        check=True,
        cwd=REPO_ROOT,
        capture_output=True,
    )
    from veche.definition import canonical_json, load

    result: dict[str, Any] = {
        "phoneProfile": {
            "viewport": PHONE,
            "cpuSlowdown": CPU_SLOWDOWN,
            "downloadMbitPerSecond": 1.6,
            "uploadMbitPerSecond": 0.75,
            "latencyMs": NETWORK["latency"],
        },
        "votersPerDistrict": args.voters_per_district,
        "caveats": (
            "DevTools' CPU throttling slows the page's main thread; the proof runs in a Web "
            "Worker, which it was not seen to slow (the phone's proof stage takes about the "
            "desktop's time), so the phone figure understates a real slow phone's proof. "
            "DevTools' network throttling applies per request. Figures also move with the "
            "machine's load: compare the node figure taken in the same run."
        ),
    }
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        log(f"deploying the demo election with {args.voters_per_district} voters a district")
        election = open_election(w3, args.voters_per_district, work / "election")
        definition = canonical_json(load(work / "election" / "definition.toml"))
        relayer, relayer_url = start_relayer(anvil.rpc_url, work / "relayer.sqlite3")
        server = None
        try:
            site_folder = write_site(
                pages,
                work / "site",
                anvil.rpc_url,
                w3.eth.chain_id,
                election.contract.address,
                definition,
                relayer_url,
            )
            server, site = serve(site_folder)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
                )
                phone = browser.new_context(
                    viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
                )
                page = phone.new_page()
                throttle(phone, page)
                log("phone: opening the page and reading while the prover's files arrive")
                fetched = open_voter(page, site, election.voters[0])
                result["phone"] = {"backgroundFetchSeconds": round(fetched, 3)}
                log(f"phone: background fetch done in {fetched:.1f} s; voting")
                console: list[str] = []
                page.on("console", lambda message: console.append(message.text))
                page.on("pageerror", lambda error: console.append(str(error)))
                try:
                    result["phone"].update(vote(page, 0, 1))
                except Exception:
                    shown = page.evaluate(SHOWN)
                    log(f"phone: the vote did not finish: {shown} console: {console[-5:]}")
                    raise
                log(f"phone: click to receipt {result['phone']['clickToReceiptSeconds']} s")
                phone.close()
                if args.phone_only:
                    print(json.dumps(result, indent=2))
                    return

                desktop = browser.new_context(viewport={"width": 1280, "height": 900})
                page = desktop.new_page()
                fetched = open_voter(page, site, election.voters[1])
                runs = [vote(page, index % 2, index + 1) for index in range(args.desktop_ballots)]
                proofs = [run["stageSeconds"]["prove"] for run in runs]
                result["desktop"] = {
                    "backgroundFetchSeconds": round(fetched, 3),
                    "ballots": runs,
                    "proofSecondsFirst": proofs[0],
                    "proofSecondsMedianAfterFirst": statistics.median(proofs[1:] or proofs),
                }
                browser.close()
        finally:
            relayer.terminate()
            relayer.wait()
            if server is not None:
                server.terminate()
                server.wait()
    log("node: the same proof with snarkjs in node")
    node = node_proof_seconds(args.desktop_ballots)
    result["node"] = {
        "proofSecondsMedian": round(statistics.median(node), 3),
        "proofSeconds": [round(s, 3) for s in node],
    }
    browser_proof = result["desktop"]["proofSecondsMedianAfterFirst"]
    result["desktopOverNode"] = round(browser_proof / result["node"]["proofSecondsMedian"], 2)
    result["targets"] = {
        "phoneClickToReceiptSeconds": 15,
        "phoneMet": result["phone"]["clickToReceiptSeconds"] <= 15,
        "desktopOverNode": 2,
        "desktopMet": result["desktopOverNode"] <= 2,
    }
    out = OUT / "page.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
