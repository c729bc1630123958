# ruff: noqa: RUF001 (Cyrillic personal data on purpose)
"""A registration on real parts: anvil, the election, dealt keys, and dedup authorities serving
over HTTP in their own processes (`veche authority serve`, as an organizer runs them).

Everything an authority or a registrar writes or prints goes under one folder, so that a test
can read all of it back and look for personal data.
"""

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from eth_account.signers.local import LocalAccount
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import ElectionContract, RegistrarGrant
from veche.chain.paths import REPO_ROOT
from veche.crypto.identity import Identity
from veche.dedup.keys import PublicKeySet, load_key_set
from veche.dedup.person import Person
from veche.definition import load
from veche.devnet import ServiceProcess
from veche.model import Calendar
from veche.registrar.challenge import HolderProof, new_challenge
from veche.registrar.tagging import DedupContext

HOUR = 3600
THRESHOLD, SHARES = 2, 3

FAULTY_AUTHORITY = """
import sys, uvicorn
from dataclasses import replace
from veche.chain.client import connect
from veche.chain.election import ElectionContract
from veche.dedup.authority.app import create_app
from veche.dedup.keys import load_share
from veche.dedup.shamir import Share

share_path, rpc, election, port = sys.argv[1:5]
honest = load_share(share_path)
# A corrupted share (a disk error, or an authority trying to split one person into two tags):
# the public key share it is checked against stays the published one.
faulty = replace(honest, share=Share(honest.share.index, honest.share.value + 1))
contract = ElectionContract(connect(rpc), election)
app = create_app(faulty, chain_id=int(contract.w3.eth.chain_id),
                 elections={contract.address: contract.is_registrar})
uvicorn.run(app, host="127.0.0.1", port=int(port), access_log=False, log_level="warning")
"""


@dataclass
class RegistrationWorld:
    """The election in its registration window, its people and its dedup authorities."""

    w3: Web3
    rpc_url: str
    election: ElectionContract
    calendar: Calendar
    organizer: LocalAccount
    registrar_a: LocalAccount
    """Quota 5 in every district."""
    registrar_b: LocalAccount
    """Another community: quota 1 in district 0, 5 in district 1."""
    outsider: LocalAccount
    keys_dir: Path
    key_set: PublicKeySet
    authorities: list[str]
    faulty_authority: str
    folder: Path
    """Where every file and log of authorities and registrars goes."""
    outputs: list[str] = field(default_factory=list)
    """Everything the registrar commands printed."""

    def share_files(self) -> list[Path]:
        """The dealt share files (a test may combine them; in an election nobody can)."""
        return [self.keys_dir / f"authority-{i}.json" for i in range(1, SHARES + 1)]

    def context(
        self, registrar: LocalAccount, authorities: Sequence[str] | None = None
    ) -> DedupContext:
        return DedupContext(
            list(self.authorities if authorities is None else authorities),
            self.key_set,
            registrar,
            int(self.w3.eth.chain_id),
            self.election.address,
            timeout=5.0,
        )

    def veche(
        self, *args: str, key: str | None = None, stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        """Runs the `veche` command as a registrar or organizer would, keeping its output."""
        env = dict(os.environ, PYTHONWARNINGS="ignore")
        if key is not None:
            env["VECHE_REGISTRAR_KEY"] = key
            env["VECHE_ORGANIZER_KEY"] = key
        done = subprocess.run(
            [sys.executable, "-m", "veche.cli.main", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=self.folder,
            timeout=120,
        )
        self.outputs += [done.stdout, done.stderr]
        return done


def key_of(account: LocalAccount) -> str:
    return "0x" + bytes(account.key).hex()


def holder_proof(identity: Identity) -> HolderProof:
    """What the voter's page shows after signing the registrar's fresh challenge."""
    challenge = new_challenge()
    return HolderProof(challenge, identity.public_key, identity.sign(challenge))


IVANOV_CYRILLIC = Person("Иванов", "Иван Иванович", "1980-05-17", "г. Москва")
IVANOV_LATIN = Person("IVANOV", "IVAN IVANOVICH", "1980-05-17", "MOSKVA")
"""One person, as two registrars type him from his internal and his foreign passport."""


@contextmanager
def authority_process(command: Callable[[int], list[str]], log: Path) -> Iterator[str]:
    """Starts `command(port)`, waits for its /health, stops it at the end."""
    with ServiceProcess("authority", command, {"PYTHONWARNINGS": "ignore"}, log) as service:
        yield service.url


@contextmanager
def registration_world(folder: Path) -> Iterator[RegistrationWorld]:
    with Anvil() as anvil, ExitStack() as stack:
        w3 = connect(anvil.rpc_url)
        organizer, registrar_a, registrar_b, outsider = dev_accounts(4)
        definition = load(REPO_ROOT / "examples" / "demo.toml")
        now = latest_timestamp(w3)
        calendar = Calendar(now, now + HOUR, now + 2 * HOUR, now + 3 * HOUR, now + 4 * HOUR)
        grants = [RegistrarGrant(registrar_a.address, d, 5) for d in range(3)]
        grants += [
            RegistrarGrant(registrar_b.address, 0, 1),
            RegistrarGrant(registrar_b.address, 1, 5),
        ]
        election = deploy_from_definition(
            w3, organizer, definition, calendar_override=calendar, registrars=grants
        )
        keys_dir = folder / "keys"
        subprocess.run(
            [sys.executable, "-m", "veche.cli.main", "authority", "keygen",
             "--threshold", str(THRESHOLD), "--shares", str(SHARES), "--out", str(keys_dir)],
            check=True, capture_output=True,
        )  # fmt: skip
        serve = [sys.executable, "-m", "veche.cli.main", "authority", "serve"]
        chain = ["--rpc", anvil.rpc_url, "--election", election.address]

        def serving(index: int) -> Callable[[int], list[str]]:
            share = str(keys_dir / f"authority-{index}.json")
            return lambda port: [*serve, "--share", share, *chain, "--port", str(port)]

        authorities = [
            stack.enter_context(authority_process(serving(i), folder / f"authority-{i}.log"))
            for i in range(1, SHARES + 1)
        ]
        faulty_share = str(keys_dir / "authority-3.json")
        faulty = stack.enter_context(
            authority_process(
                lambda port: [sys.executable, "-c", FAULTY_AUTHORITY, faulty_share,
                              anvil.rpc_url, election.address, str(port)],
                folder / "faulty-authority.log",
            )
        )  # fmt: skip
        yield RegistrationWorld(
            w3,
            anvil.rpc_url,
            election,
            calendar,
            organizer,
            registrar_a,
            registrar_b,
            outsider,
            keys_dir,
            load_key_set(keys_dir / "authorities.json"),
            authorities,
            faulty,
            folder,
        )
