"""What the benchmarks share: a local election with registered voters, and a relayer process."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from veche.chain.anvil import latest_timestamp, time_travel
from veche.chain.client import dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import ElectionContract, grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.identity import Identity
from veche.definition import load
from veche.definition.retime import starting_at
from veche.devnet import relayer_process

OUT = REPO_ROOT / "out" / "bench"


@dataclass
class Election:
    w3: Web3
    contract: ElectionContract
    voters: list[Identity]
    organizer: LocalAccount
    registration_gas: dict[str, int]


def _bench_tags(commitments: list[int]) -> list[bytes]:
    """Stand-in person tags (distinct, non-zero): a benchmark of the chain needs no authorities;
    `veche.registrar` makes real ones."""
    return [bytes(keccak(b"veche bench person " + c.to_bytes(32, "big"))) for c in commitments]


def open_election(w3: Web3, voters_per_district: int, folder: Path) -> Election:
    """The demo definition on `w3`'s clock, `voters_per_district` registered in each of its
    districts (one batch per district), and voting open."""
    organizer, registrar = dev_accounts(2)
    folder.mkdir(parents=True, exist_ok=True)
    definition_file = folder / "definition.toml"
    template = (REPO_ROOT / "examples" / "demo.toml").read_text()
    definition_file.write_text(starting_at(template, latest_timestamp(w3)))
    definition = load(definition_file)
    grants = grants_everywhere(registrar.address, len(definition.districts), 2**20)
    contract = deploy_from_definition(w3, organizer, definition, registrars=grants)
    voters: list[Identity] = []
    batch_gas = 0
    for number, _ in enumerate(definition.districts):
        district = [Identity.generate() for _ in range(voters_per_district)]
        members = [v.commitment for v in district]
        receipt = contract.add_members(registrar, number, members, _bench_tags(members))
        batch_gas += receipt["gasUsed"]
        voters += district
    lone = [Identity.generate().commitment]
    single = contract.add_members(registrar, 0, lone, _bench_tags(lone))["gasUsed"]
    time_travel(w3, contract.calendar().voting_start - latest_timestamp(w3))
    return Election(
        w3,
        contract,
        voters,
        organizer,
        {
            "perMemberInBatchOf" + str(voters_per_district): batch_gas // len(voters),
            "singleMember": single,
        },
    )


def start_relayer(
    rpc_url: str, database: Path, accounts: int = 2, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """A relayer paying with the last `accounts` dev accounts, its log beside its database."""
    keys = [a.key.hex() for a in dev_accounts(10)[-accounts:]]
    relayer = relayer_process(
        rpc_url,
        keys,
        database,
        log=database.with_suffix(".log"),
        env={"VECHE_RATE_LIMIT": "1000000/60", "PYTHONWARNINGS": "ignore", **(extra_env or {})},
    ).start()
    assert relayer.process is not None
    return relayer.process, relayer.url


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
