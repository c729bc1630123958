"""A real election on a real anvil, with a real relayer over HTTP, shared by one test module."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_election
from veche.chain.election import ElectionContract
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover
from veche.model import Calendar

OPTIONS = ["Anna Volkova", "Pavel Orlov", "Irina Sokolova"]
HOUR = 3600


@dataclass
class World:
    w3: Web3
    rpc_url: str
    election: ElectionContract
    other: ElectionContract
    calendar: Calendar
    voters: list[Identity]
    organizer: LocalAccount
    registrar: LocalAccount
    relayer_account: LocalAccount
    attacker: LocalAccount

    def close_voting(self) -> None:
        time_travel(self.w3, self.calendar.voting_end - latest_timestamp(self.w3))


@pytest.fixture(scope="session")
def prover() -> Iterator[Prover]:
    with Prover(parallel=2) as running:
        yield running


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """Two elections with the same eight voters registered, voting open in both."""
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_account, attacker = dev_accounts(4)
        now = latest_timestamp(w3)
        calendar = Calendar(now, now + HOUR, now + HOUR, now + 2 * HOUR)
        elections = [
            deploy_election(
                w3, organizer, options=OPTIONS, calendar=calendar, registrars=[registrar.address]
            )
            for _ in range(2)
        ]
        voters = [Identity.generate() for _ in range(8)]
        for election in elections:
            election.add_members(registrar, [v.commitment for v in voters])
        time_travel(w3, calendar.voting_start - latest_timestamp(w3))
        yield World(
            w3,
            anvil.rpc_url,
            elections[0],
            elections[1],
            calendar,
            voters,
            organizer,
            registrar,
            relayer_account,
            attacker,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RelayerProcess:
    url: str
    log: Path
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def relayer(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayerProcess]:
    """`veche relayer serve` as a user runs it, its output captured to check what it logs."""
    log = tmp_path_factory.mktemp("relayer") / "relayer.log"
    port = _free_port()
    env = dict(
        os.environ,
        VECHE_RPC_URL=world.rpc_url,
        VECHE_RELAYER_KEY="0x" + world.relayer_account.key.hex().removeprefix("0x"),
        VECHE_MODE="dev",
    )
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "veche.cli.main", "relayer", "serve", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"relayer did not start:\n{log.read_text()}")
        time.sleep(0.2)
    yield RelayerProcess(url, log, process)
    process.terminate()
    process.wait(10)
