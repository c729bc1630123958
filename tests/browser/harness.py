"""The real parts a browser test drives: the built pages on a plain static web server, an anvil
chain with the demo election deployed from its definition file, and `veche relayer serve`.

Nothing here is a stand-in: the page talks JSON-RPC to anvil and HTTP to the relayer exactly as
it would to a public node and a public relayer.
"""

import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.person_tags import stand_in_tags
from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import ElectionContract, grants_everywhere
from veche.crypto.identity import Identity
from veche.definition import ElectionDefinition, canonical_json, load
from veche.devnet import ServiceProcess, relayer_process
from veche.model.calendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
DEMO_DEFINITION = ROOT / "examples" / "demo.toml"
HOUR = 3600


def build_pages(out: Path) -> Path:
    """Builds the pages with `frontend/build.mjs` into `out`, as `make` does into dist/."""
    subprocess.run(
        ["node", str(ROOT / "frontend" / "build.mjs"), "--out", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that keeps no access log (as a privacy-minded host would)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serves `folder` over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def start_relayer(rpc_url: str, account: LocalAccount, workdir: Path) -> ServiceProcess:
    """Starts a relayer as an operator would (environment only), with its state in `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    return relayer_process(
        rpc_url,
        [account.key.hex()],
        workdir / "relayer.sqlite3",
        log=workdir / "relayer.log",
        cwd=workdir,
    ).start()


@dataclass
class World:
    """The demo election on a fresh anvil, its people, and the site that serves its pages."""

    anvil: Anvil
    w3: Web3
    definition: ElectionDefinition
    election: ElectionContract
    calendar: Calendar
    organizer: LocalAccount
    registrar: LocalAccount
    relayer_account: LocalAccount

    @property
    def rpc_url(self) -> str:
        return self.anvil.rpc_url

    def district_index(self, district_id: str) -> int:
        """The on-chain number of a district: its position in the definition."""
        return [d.id for d in self.definition.districts].index(district_id)

    def register(self, district_id: str, commitments: list[int]) -> None:
        """The registrar adds `commitments` to a district's register, as one batch."""
        self.election.add_members(
            self.registrar,
            self.district_index(district_id),
            commitments,
            stand_in_tags(commitments),
        )

    def fill_district(self, district_id: str, count: int) -> list[Identity]:
        """Registers `count` fresh voters in a district (to reach its minimum)."""
        voters = [Identity.generate() for _ in range(count)]
        self.register(district_id, [v.commitment for v in voters])
        return voters

    def travel_to(self, timestamp: int) -> None:
        """Moves the chain's clock to `timestamp` (never backwards)."""
        time_travel(self.w3, max(0, timestamp - latest_timestamp(self.w3)))

    def open_voting(self) -> None:
        self.travel_to(self.calendar.voting_start)

    def close_voting(self) -> None:
        self.travel_to(self.calendar.voting_end)

    def end_appeals(self) -> None:
        self.travel_to(self.calendar.appeals_end)


@contextmanager
def demo_world(definition_file: Path = DEMO_DEFINITION) -> Iterator[World]:
    """The demo election (examples/demo.toml, or another definition file) deployed on a fresh
    anvil, registration open now."""
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_account = dev_accounts(3)
        definition = load(definition_file)
        now = latest_timestamp(w3)
        calendar = Calendar(now, now + HOUR, now + 2 * HOUR, now + 3 * HOUR, now + 4 * HOUR)
        election = deploy_from_definition(
            w3,
            organizer,
            definition,
            calendar_override=calendar,
            registrars=grants_everywhere(registrar.address, len(definition.districts), 1_000),
        )
        people = (organizer, registrar, relayer_account)
        yield World(anvil, w3, definition, election, calendar, *people)


def write_site(
    pages: Path,
    folder: Path,
    world: World,
    relayers: list[str],
    *,
    definition_bytes: bytes | None = None,
    result_bytes: bytes | None = None,
    **overrides: Any,
) -> Path:
    """A site folder: the built pages plus this deployment's config.json, definition.json and,
    if given, result.json. `definition_bytes` replaces the true definition (to test tampering)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(pages, folder)
    config: dict[str, Any] = {
        "rpcUrl": world.rpc_url,
        "chainId": world.w3.eth.chain_id,
        "election": world.election.address,
        "relayers": relayers,
        "relayerTimeoutMs": 10_000,
        "definition": "definition.json",
        "pollSeconds": 1,
    }
    if result_bytes is not None:
        (folder / "result.json").write_bytes(result_bytes)
        config["result"] = "result.json"
    config.update(overrides)
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    definition = canonical_json(world.definition) if definition_bytes is None else definition_bytes
    (folder / "definition.json").write_bytes(definition)
    return folder
