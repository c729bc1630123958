"""The observers' page of a million-voter election, opened from a published summary, measured in
Debian's Chromium (issue 9, section 4). Writes `out/bench/observers.json`.

    .venv/bin/python bench/observers.py [--voters 1000000] [--districts 50] [--registrars 1000]

SYNTHETIC, and said so in the JSON: registering a million voters on anvil takes hours (that is
bench/scale.py's job), and the page's load time does not depend on how the registers were
filled, only on what it downloads and checks. So the bench deploys the real Election contract
with `--districts` districts, writes into its storage (anvil_setStorageAt) each district's
register size and root and the number of voters, as a million registrations and votes would have
left them, and publishes a summary of the same figures (skewed district sizes as in
bench/scale.py, `--registrars` registrars, registrations and first ballots spread over the
windows). The page then does all it does in a real deployment: downloads the summary, checks
every total, checks it against the chain at the summary's block (block hash and time, each
district's size, root and exclusion, the voters, the result), draws every chart and table, and
follows new blocks.

Measured: from navigation to the figures shown with the summary confirmed (`data-summary=
checked`, the district table and every chart drawn), desktop and phone profile (390x844, 4x CPU
slowdown), best and median of `--runs`. Target: <= 5 s. Also the summary's size and the number
of JSON-RPC requests the page sent (none per block).
"""

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from typing import Any

from common import OUT
from eth_utils import keccak
from playwright.sync_api import sync_playwright
from scale import definition_text, skewed_sizes

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import RegistrarGrant
from veche.chain.paths import REPO_ROOT
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.definition import canonical_json, definition_hash, load
from veche.definition.retime import starting_at
from veche.recount.summary import FORMAT, SLOTS

sys.path.insert(0, str(REPO_ROOT))
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.browser.harness import build_pages, static_server

DAY = 86_400
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TARGET_SECONDS = 5.0
SEED = b"veche observers bench"


def word(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


def slot_of_mapping(key: int, slot: int) -> int:
    """The storage slot of `mapping[key]` for a mapping at `slot` (Solidity's layout)."""
    return int.from_bytes(keccak(key.to_bytes(32, "big") + slot.to_bytes(32, "big")), "big")


def set_storage(w3: Any, address: str, slot: int, value: int) -> None:
    w3.provider.make_request("anvil_setStorageAt", [address, word(slot), word(value)])


def fill_chain(w3: Any, election: Any, sizes: list[int], roots: list[int], voters: int) -> None:
    """Each district's register as `sizes` registrations would leave it (size, depth 20, root)
    and the number of voters: the layout the contract documents (districts at slot 0, the
    LeanIMT's size, depth and side nodes first in each; `_ballotCount` found by probing)."""
    address = election.address
    for district, (size, root) in enumerate(zip(sizes, roots, strict=True)):
        base = slot_of_mapping(district, 0)
        set_storage(w3, address, base, size)
        set_storage(w3, address, base + 1, 20)
        set_storage(w3, address, slot_of_mapping(20, base + 2), root)
        state = election.contract.functions.districtState(district).call()
        if (state[2], state[4]) != (size, root):
            raise SystemExit(f"district {district}: storage layout changed (read {state})")
    for slot in range(1, 40):  # the plain variables follow the mappings
        set_storage(w3, address, slot, voters)
        if election.contract.functions.ballotCount().call() == voters:
            return
        set_storage(w3, address, slot, 0)
    raise SystemExit("ballotCount's storage slot was not found: the contract's layout changed")


def spread(total: int, slots: int, rng: random.Random, busy: float = 0.6) -> list[int]:
    """`total` events over `slots`, busier near the start (people come early)."""
    weights = [busy ** (i / slots * 4) + rng.random() * 0.2 for i in range(slots)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    counts[0] += total - sum(counts)
    return counts


def make_summary(
    w3: Any,
    election: Any,
    definition: Any,
    sizes: list[int],
    roots: list[int],
    turnout: list[int],
    registrars: int,
) -> dict[str, Any]:
    """A summary of the synthetic election at the latest block, consistent in every total."""
    rng = random.Random(SEED)
    calendar = election.calendar()
    latest = w3.eth.get_block("latest")
    districts = []
    by_registrar: list[dict[str, Any]] = []
    addresses = ["0x" + keccak(SEED + n.to_bytes(4, "big"))[-20:].hex() for n in range(registrars)]
    per_registrar = [0] * registrars
    slots_of = [[0] * SLOTS for _ in range(registrars)]
    quotas: list[dict[str, int]] = [{} for _ in range(registrars)]
    for d, (size, root, voters) in enumerate(zip(sizes, roots, turnout, strict=True)):
        registered = spread(size, SLOTS, rng)
        ballots = voters + voters // 10
        districts.append(
            {
                "index": d,
                "registered": size,
                "voters": voters,
                "ballots": ballots,
                "excluded": False,
                "merkleRoot": str(root),
                "registeredBySlot": registered,
                "votersBySlot": spread(voters, SLOTS, rng, 0.4),
            }
        )
        # The district's registrations shared among the registrars serving it (1 per 1,000).
        serving = rng.sample(
            range(registrars), max(1, min(registrars, size * registrars // sum(sizes)))
        )
        for slot, count in enumerate(registered):
            for i, r in enumerate(serving):
                share = count // len(serving) + (1 if i < count % len(serving) else 0)
                slots_of[r][slot] += share
                per_registrar[r] += share
        for r in serving:
            quotas[r][str(d)] = size
    for r in range(registrars):
        by_registrar.append(
            {
                "address": addresses[r],
                "quotas": quotas[r],
                "registered": per_registrar[r],
                "registeredBySlot": slots_of[r],
            }
        )
    registrations = sum(sizes)
    return {
        "format": FORMAT,
        "synthetic": "figures written into the chain's storage by bench/observers.py",
        "election": election.address,
        "chainId": w3.eth.chain_id,
        "definitionHash": "0x" + definition_hash(definition).hex(),
        "fromBlock": 0,
        "block": latest["number"],
        "blockHash": "0x" + bytes(latest["hash"]).hex(),
        "blockTime": latest["timestamp"],
        "slots": SLOTS,
        "registration": {"start": calendar.registration_start, "end": calendar.registration_end},
        "voting": {"start": calendar.voting_start, "end": calendar.voting_end},
        "districts": districts,
        "registrars": sorted(by_registrar, key=lambda r: r["address"]),
        "exclusions": [],
        "result": None,
        "eventCounts": {
            "MemberAdded": registrations,
            "BallotCast": sum(d["ballots"] for d in districts),
            "RegistrarAuthorized": sum(len(q) for q in quotas),
            "DistrictExcluded": 0,
            "DistrictRestored": 0,
            "ResultPublished": 0,
        },
    }


SHOWN = """() => document.querySelector("#summary-status")?.dataset.summary === "checked"
    && document.body.dataset.block !== undefined
    && document.querySelector("#registrar-charts svg.chart") !== null"""


def open_page(browser: Any, url: str, viewport: dict[str, int], cpu: int) -> dict[str, Any]:
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    calls: list[str] = []

    def seen(request: Any) -> None:
        if request.method == "POST" and request.post_data:
            body = json.loads(request.post_data)
            for call in body if isinstance(body, list) else [body]:
                method = call.get("method", "?")
                # A block asked for by number (not the latest: the ledger's clock).
                if method == "eth_getBlockByNumber" and call["params"][0] != "latest":
                    method = "eth_getBlockByNumber(number)"
                calls.append(method)

    page.on("request", seen)
    if cpu > 1:
        session = context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    started = time.perf_counter()
    page.goto(f"{url}/observe.html")
    page.wait_for_function(SHOWN, timeout=120_000, polling=50)
    seconds = time.perf_counter() - started
    charts = page.locator("svg.chart").count()
    by_number = calls.count("eth_getBlockByNumber(number)")
    context.close()
    return {
        "seconds": round(seconds, 3),
        "charts": charts,
        "rpcRequests": len(calls),
        "blocksAskedByNumber": by_number,
        "getLogs": calls.count("eth_getLogs"),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--districts", type=int, default=50)
    parser.add_argument("--registrars", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    folder = OUT / "observers"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"building the pages and a {args.districts}-district election on anvil…", flush=True)
    pages = build_pages(folder / "dist")
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar = dev_accounts(2)
        definition_file = folder / "definition.toml"
        definition_file.write_text(
            starting_at(definition_text(args.districts), latest_timestamp(w3), hour=DAY)
        )
        definition = load(definition_file)
        sizes = skewed_sizes(args.voters, args.districts)
        grants = [RegistrarGrant(registrar.address, d, s) for d, s in enumerate(sizes)]
        election = deploy_from_definition(w3, organizer, definition, registrars=grants)
        # Late on voting day: every window has figures to draw.
        time_travel(w3, election.calendar().voting_end - DAY // 4 - latest_timestamp(w3))
        rng = random.Random(SEED)
        roots = [rng.randrange(1, SNARK_SCALAR_FIELD) for _ in sizes]
        turnout = [size * rng.randint(45, 75) // 100 for size in sizes]
        fill_chain(w3, election, sizes, roots, sum(turnout))
        summary = make_summary(w3, election, definition, sizes, roots, turnout, args.registrars)
        site = folder / "site"
        shutil.copytree(pages, site)
        (site / "definition.json").write_bytes(canonical_json(definition))
        body = json.dumps(summary, separators=(",", ":")).encode()
        (site / "summary.json").write_bytes(body)
        (site / "config.json").write_text(
            json.dumps(
                {
                    "rpcUrl": anvil.rpc_url,
                    "chainId": w3.eth.chain_id,
                    "election": election.address,
                    "relayers": [],
                    "definition": "definition.json",
                    "summary": "summary.json",
                    "pollSeconds": 5,
                }
            )
        )
        print(
            f"summary: {len(body):,} bytes for {sum(sizes):,} voters; opening the page…", flush=True
        )
        profiles: dict[str, Any] = {}
        with static_server(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            for name, viewport, cpu in [("desktop", DESKTOP, 1), ("phone", PHONE, 4)]:
                runs = []
                for run in range(args.runs):
                    runs.append(open_page(browser, url, viewport, cpu))
                    print(
                        f"  {name} run {run + 1}/{args.runs}: {runs[-1]['seconds']:.2f} s",
                        flush=True,
                    )
                times = [r["seconds"] for r in runs]
                profiles[name] = {
                    "best_seconds": min(times),
                    "median_seconds": statistics.median(times),
                    "runs": runs,
                }
            browser.close()
    result = {
        "voters": sum(sizes),
        "districts": args.districts,
        "registrars": args.registrars,
        "largest_district": max(sizes),
        "summary_bytes": len(body),
        "observers_page_seconds": profiles["desktop"]["median_seconds"],
        "observers_page_phone_seconds": profiles["phone"]["median_seconds"],
        "target_seconds": TARGET_SECONDS,
        "meets_target": profiles["desktop"]["median_seconds"] <= TARGET_SECONDS,
        "profiles": profiles,
        "phone_profile": "390x844, CPU slowed 4x (DevTools), no network throttling",
        "synthetic": (
            "the chain holds the real Election contract whose registers' sizes and roots and "
            "voter count were written into its storage (anvil_setStorageAt) to match a "
            f"{sum(sizes):,}-voter summary; no registration or ballot event exists for them. "
            "The page's work (download, checks against the chain, charts) is the same as for "
            "a real election of that size; `veche recount --summary` makes the real file."
        ),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "observers.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"observers' page at {sum(sizes):,} voters: "
        f"desktop {result['observers_page_seconds']:.2f} s,"
        f" phone {result['observers_page_phone_seconds']:.2f} s (target <= {TARGET_SECONDS} s);"
        f" summary {len(body):,} bytes -> {OUT / 'observers.json'}"
    )
    return result


if __name__ == "__main__":
    main()
