"""`veche deploy` on a chain with real block times: a dry run that prices it and sends nothing,
a deploy killed half-way that resumes without a second copy of anything, a second run that
deploys nothing, and production mode's refusals (a raw key, no fee cap)."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import ElectionContract
from veche.chain.journal import DeployJournal
from veche.chain.paths import REPO_ROOT
from veche.chain.transactions import Signed, TxPolicy, send_transaction, use_policy
from veche.definition import definition_hash, load
from veche.definition.retime import starting_at

pytestmark = [pytest.mark.chain]

DEPLOYER = dev_accounts(6)[5]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def node() -> Iterator[Anvil]:
    with Anvil(extra_args=["--block-time", "1"]) as anvil:
        yield anvil


@pytest.fixture
def definition(tmp_path: Path, node: Anvil) -> Path:
    path = tmp_path / "election.toml"
    template = (REPO_ROOT / "examples" / "demo.toml").read_text()
    path.write_text(starting_at(template, latest_timestamp(connect(node.rpc_url))))
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "veche.cli.main", *args]


def environment(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("VECHE_")}
    return {**base, "VECHE_ORGANIZER_KEY": DEPLOYER.key.to_0x_hex(), **extra}


def veche(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args), capture_output=True, text=True, timeout=300, env=environment(**extra)
    )


def nonce(w3: Web3) -> int:
    return int(w3.eth.get_transaction_count(DEPLOYER.address, "pending"))


def test_a_dry_run_prices_every_contract_and_sends_nothing(node: Anvil, definition: Path) -> None:
    w3 = connect(node.rpc_url)
    before = nonce(w3)
    dry = veche(
        "deploy", "--rpc", node.rpc_url, "--definition", str(definition), "--dry-run",
        "--max-fee-gwei", "50",
    )  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    rows = {line.split()[0]: line.split() for line in dry.stdout.splitlines() if line.strip()}
    for contract in ("Groth16Verifier", "PoseidonT3", "Election", "total"):
        assert int(rows[contract][1].replace(",", "")) > 100_000, dry.stdout
    assert "nothing is sent" in dry.stdout
    assert nonce(w3) == before
    assert not list(definition.parent.glob("*.deploy-*.json"))


def test_a_deploy_killed_half_way_resumes_and_a_second_run_deploys_nothing(
    node: Anvil, definition: Path
) -> None:
    w3 = connect(node.rpc_url)
    journal = definition.with_name("journal.json")
    deploy = (
        "deploy", "--rpc", node.rpc_url, "--definition", str(definition),
        "--journal", str(journal), "--confirmations", "3", "--max-fee-gwei", "50",
    )  # fmt: skip
    first = subprocess.Popen(
        command(*deploy), env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:  # kill it once the second contract's transaction is signed and sent, not confirmed
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            steps = json.loads(journal.read_text())["steps"] if journal.exists() else {}
            if "signed" in steps.get("PoseidonT3", {}):
                break
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            time.sleep(0.05)
        else:
            pytest.fail("the deploy never signed its second transaction")
        first.send_signal(signal.SIGKILL)
    finally:
        first.wait()
        if first.stderr:
            first.stderr.close()
    killed = json.loads(journal.read_text())["steps"]
    assert "address" in killed["Groth16Verifier"]
    assert "address" not in killed["PoseidonT3"]

    resumed = veche(*deploy)
    assert resumed.returncode == 0, resumed.stderr
    assert nonce(w3) == 3  # three contracts, each sent once
    assert "PoseidonT3: following 0x" in resumed.stderr
    assert "Groth16Verifier: deployed already" in resumed.stderr
    steps = json.loads(journal.read_text())["steps"]
    election = ElectionContract(w3, steps["Election"]["address"])  # checks its code
    assert election.verifier() == steps["Groth16Verifier"]["address"]
    assert election.definition_hash() == definition_hash(load(definition))
    assert f"Election deployed at {election.address}" in resumed.stdout

    again = veche(*deploy)
    assert again.returncode == 0, again.stderr
    assert f"Election deployed at {election.address}" in again.stdout
    assert again.stderr.count("deployed already") == 3
    assert nonce(w3) == 3

    other = definition.with_name("other.toml")
    other.write_text(definition.read_text().replace("Veche demo election", "Another election"))
    refused = veche(*deploy[:4], str(other), *deploy[5:])
    assert refused.returncode == 1
    assert (
        refused.stderr.strip()
        .splitlines()[-1]
        .startswith(f"veche: error: the deploy journal {journal} is for definition 0x")
    )
    assert nonce(w3) == 3


def test_production_takes_only_a_keystore_and_needs_a_fee_cap(
    node: Anvil, definition: Path, tmp_path: Path
) -> None:
    deploy = ("deploy", "--rpc", node.rpc_url, "--definition", str(definition), "--dry-run")
    raw = veche(*deploy, "--max-fee-gwei", "50", VECHE_MODE="production")
    assert raw.returncode == 1
    assert raw.stderr.strip().splitlines()[-1] == (
        "veche: error: VECHE_MODE=production takes keys only from an encrypted keystore: set "
        "VECHE_ORGANIZER_KEYSTORE to one (`veche keystore create --import-env "
        "VECHE_ORGANIZER_KEY`) and unset VECHE_ORGANIZER_KEY"
    )
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    store = tmp_path / "organizer.json"
    made = veche(
        "keystore", "create", "--out", str(store), "--import-env", "VECHE_ORGANIZER_KEY",
        VECHE_KEYSTORE_PASSWORD_FILE=str(password),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    keystore = {
        "VECHE_ORGANIZER_KEY": "",
        "VECHE_ORGANIZER_KEYSTORE": str(store),
        "VECHE_KEYSTORE_PASSWORD_FILE": str(password),
        "VECHE_MODE": "production",
    }
    public = veche(*deploy, "--max-fee-gwei", "50", **keystore)
    assert public.returncode == 1
    assert public.stderr.strip().splitlines()[-1] == (
        f"veche: error: VECHE_ORGANIZER_KEYSTORE holds {DEPLOYER.address}, a public "
        "development key: refused in production"
    )
    uncapped = veche(*deploy, **keystore)
    assert uncapped.returncode == 1
    assert uncapped.stderr.strip().splitlines()[-1] == (
        "veche: error: VECHE_MODE=production: give --max-fee-gwei, the most to pay a gas"
    )


class Killed(Exception):
    """Stands for the process dying between recording a transaction and broadcasting it."""


def test_a_recorded_transaction_whose_nonce_another_took_is_deployed_anew(
    node: Anvil, definition: Path
) -> None:
    w3 = connect(node.rpc_url)
    parsed = load(definition)
    path = definition.with_name("journal.json")

    def journal() -> DeployJournal:
        return DeployJournal(
            path,
            chain_id=int(w3.eth.chain_id),
            deployer=DEPLOYER.address,
            definition_hash=definition_hash(parsed),
        )

    dying = journal()
    recorder = dying._recorder

    def record_then_die(name: str, digest: str) -> object:
        record = recorder(name, digest)

        def die(signed: Signed) -> None:
            record(signed)
            raise Killed

        return die

    dying._recorder = record_then_die  # type: ignore[method-assign]
    lines: list[str] = []
    policy = TxPolicy(poll=0.05, replace_after=1, nonce_taken_after=1, notify=lines.append)
    with use_policy(policy):
        with pytest.raises(Killed):
            deploy_from_definition(w3, DEPLOYER, parsed, journal=dying)
        recorded = json.loads(path.read_text())["steps"]["Groth16Verifier"]["signed"]
        assert recorded["nonce"] == nonce(w3)  # recorded, never broadcast
        # The same key is used elsewhere meanwhile: another transaction takes that nonce.
        send_transaction(w3, DEPLOYER, {"to": DEPLOYER.address, "value": 0, "gas": 21_000})
        election = deploy_from_definition(w3, DEPLOYER, parsed, journal=journal())

    assert "Groth16Verifier: its nonce was used by another transaction; deploying anew" in lines
    assert nonce(w3) == recorded["nonce"] + 4  # the other transaction, then three contracts
    assert election.definition_hash() == definition_hash(parsed)


def test_an_unwritable_journal_stops_the_deploy_before_anything_is_sent(
    node: Anvil, definition: Path
) -> None:
    w3 = connect(node.rpc_url)
    before = nonce(w3)
    journal = "/proc/no-such-folder/journal.json"
    refused = veche(
        "deploy", "--rpc", node.rpc_url, "--definition", str(definition), "--journal", journal
    )
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        f"veche: error: cannot write the deploy journal {journal}: No such file or directory; "
        "give --journal a writable file"
    )
    assert nonce(w3) == before
