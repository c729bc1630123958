"""A real election on a real anvil, with a real relayer over HTTP, shared by one test module.

The election is `examples/demo.toml` (three districts: north, south, east) moved to the chain's
clock. East is given fewer voters than its minimum, so voting never opens there.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
from veche.devnet import RelayerProcess, relayer_process
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


def make_relayer(world: World, folder: Path, **env: str) -> RelayerProcess:
    """`veche relayer serve` paying with the world's relayer accounts, its queue and its log in
    `folder` (kept across a kill and a restart); not started yet."""
    return relayer_process(
        world.rpc_url,
        [account.key.hex() for account in world.relayer_accounts],
        folder / "relayer.sqlite3",
        log=folder / "relayer.log",
        env=env,
    )


@pytest.fixture(scope="module")
def relayer(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayerProcess]:
    running = make_relayer(world, tmp_path_factory.mktemp("relayer")).start()
    yield running
    running.stop()
