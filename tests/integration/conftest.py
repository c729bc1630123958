"""A real election on a real anvil, with a real relayer over HTTP, shared by one test module.

The election is `examples/demo.toml` (three districts: north, south, east) moved to the chain's
clock. East is given fewer voters than its minimum, so voting never opens there.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.person_tags import stand_in_tags
from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import ElectionContract, grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover
from veche.definition import load
from veche.definition.model import ElectionDefinition
from veche.definition.retime import starting_at
from veche.model import Calendar

REGISTERED = {"north": 4, "south": 4, "east": 2}
"""East's minimum is 3: with 2 members, voting never opens there."""


@dataclass
class World:
    w3: Web3
    rpc_url: str
    definition: ElectionDefinition
    definition_file: Path
    election: ElectionContract
    other: ElectionContract
    voters: dict[str, list[Identity]]
    organizer: LocalAccount
    registrar: LocalAccount
    relayer_accounts: list[LocalAccount]
    attacker: LocalAccount

    @property
    def calendar(self) -> Calendar:
        return self.election.calendar()

    def travel_to(self, moment: int) -> None:
        time_travel(self.w3, moment - latest_timestamp(self.w3))


@pytest.fixture(scope="session")
def prover() -> Iterator[Prover]:
    with Prover(parallel=2) as running:
        yield running


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Two elections under one definition, the same voters registered in both, voting open."""
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_a, relayer_b, attacker = dev_accounts(5)
        definition_file = tmp_path_factory.mktemp("definition") / "election.toml"
        template = (REPO_ROOT / "examples" / "demo.toml").read_text()
        definition_file.write_text(starting_at(template, latest_timestamp(w3)))
        definition = load(definition_file)
        grants = grants_everywhere(registrar.address, len(definition.districts), 100)
        elections = [
            deploy_from_definition(w3, organizer, definition, registrars=grants) for _ in range(2)
        ]
        voters = {d: [Identity.generate() for _ in range(n)] for d, n in REGISTERED.items()}
        for election in elections:
            for number, district in enumerate(definition.districts):
                members = [v.commitment for v in voters[district.id]]
                election.add_members(registrar, number, members, stand_in_tags(members))
        world = World(
            w3,
            anvil.rpc_url,
            definition,
            definition_file,
            elections[0],
            elections[1],
            voters,
            organizer,
            registrar,
            [relayer_a, relayer_b],
            attacker,
        )
        world.travel_to(world.calendar.voting_start)
        yield world


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RelayerProcess:
    """`veche relayer serve` as a user runs it, its output captured to check what it logs."""

    world: World
    database: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> "RelayerProcess":
        port = _free_port()
        env = {
            **os.environ,
            "VECHE_RPC_URL": self.world.rpc_url,
            "VECHE_RELAYER_KEYS": ",".join(
                "0x" + a.key.hex().removeprefix("0x") for a in self.world.relayer_accounts
            ),
            "VECHE_RELAYER_DB": str(self.database),
            "VECHE_MODE": "dev",
            "VECHE_RATE_LIMIT": "100000/60",
            **self.env,
        }
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "veche.cli.main", "relayer", "serve", "--port", str(port)],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.process.kill()
                pytest.fail(f"relayer did not start:\n{self.log.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up, as in a crash or a power cut."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def make_relayer(world: World, folder: Path, **env: str) -> RelayerProcess:
    return RelayerProcess(world, folder / "relayer.sqlite3", folder / "relayer.log", dict(env))


@pytest.fixture(scope="module")
def relayer(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayerProcess]:
    running = make_relayer(world, tmp_path_factory.mktemp("relayer")).start()
    yield running
    running.stop()
