"""A registrar's submission killed after its transaction left: mined but not yet confirmed, or
dropped by the node. The next submission follows the recorded transaction (sending the same
bytes again if the node forgot them) and registers every voter exactly once; a third one finds
nothing to do."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from web3 import Web3
from web3.exceptions import TransactionNotFound

from tests.person_tags import stand_in_tags
from veche.chain.anvil import Anvil, latest_timestamp
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.hashing import semaphore_hash
from veche.definition import load
from veche.definition.retime import starting_at
from veche.registrar.batch import PendingBatch, PendingEntry, load_batch, save_batch

pytestmark = [pytest.mark.chain]


def batch_of(w3: Web3, election: str, first: int) -> PendingBatch:
    commitments = [semaphore_hash(first + i) for i in range(6)]
    tags = stand_in_tags(commitments)
    entries = [PendingEntry(0, c, t) for c, t in zip(commitments, tags, strict=True)]
    return PendingBatch(int(w3.eth.chain_id), election, entries)


def receipt_of(w3: Web3, tx_hash: str) -> bool:
    try:
        return w3.eth.get_transaction_receipt(tx_hash) is not None  # type: ignore[arg-type]
    except TransactionNotFound:
        return False


def kill_once_sent(
    submit: list[str], env: dict[str, str], batch: Path, w3: Web3, mined: bool
) -> str:
    """Runs `submit` and kills it once its transaction is recorded (and mined, if `mined`);
    returns the recorded transaction's hash."""
    first = subprocess.Popen(submit, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            in_flight = json.loads(batch.read_text()).get("inFlight")
            if in_flight is not None:
                sent = str(in_flight["signed"]["versions"][0]["hash"])
                if not mined or receipt_of(w3, sent):
                    break
            time.sleep(0.02)
        else:
            pytest.fail("the submission never sent its transaction")
        first.send_signal(signal.SIGKILL)
    finally:
        first.wait()
        if first.stderr:
            first.stderr.close()
    return sent


@pytest.mark.parametrize("fate", ["mined, not yet confirmed", "dropped by the node"])
def test_a_killed_submission_resumes_without_registering_anyone_twice(
    tmp_path: Path, fate: str
) -> None:
    organizer, registrar = dev_accounts(8)[6:8]
    with Anvil(extra_args=["--block-time", "1"]) as node:
        w3 = connect(node.rpc_url)
        definition = tmp_path / "election.toml"
        template = (REPO_ROOT / "examples" / "demo.toml").read_text()
        definition.write_text(starting_at(template, latest_timestamp(w3)))
        parsed = load(definition)
        election = deploy_from_definition(
            w3,
            organizer,
            parsed,
            registrars=grants_everywhere(registrar.address, len(parsed.districts), 50),
        )
        pending = batch_of(w3, election.address, 7_000)
        batch = tmp_path / "batch.json"
        save_batch(batch, pending)
        submit = [
            sys.executable, "-m", "veche.cli.main", "registrar", "submit", "--rpc",
            node.rpc_url, "--election", election.address, "--batch", str(batch),
            "--confirmations", "3", "--replace-after", "2",
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith("VECHE_")}
        env["VECHE_REGISTRAR_KEY"] = registrar.key.to_0x_hex()

        mined = fate.startswith("mined")
        sent = kill_once_sent(submit, env, batch, w3, mined)
        assert len(load_batch(batch).entries) == 6
        if not mined:
            w3.provider.make_request("anvil_dropTransaction", [sent])  # type: ignore[arg-type]

        resumed = subprocess.run(submit, env=env, capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr
        assert election.member_count(0) == 6
        assert w3.eth.get_transaction_count(registrar.address) == 1
        assert "registered 6 voters in 1 transactions" in resumed.stdout
        assert "from an earlier submission" in resumed.stderr
        assert load_batch(batch).entries == []
        assert load_batch(batch).in_flight is None
        registered = [event.commitment for event in election.member_events(district=0)]
        assert registered == [entry.commitment for entry in pending.entries]

        again = subprocess.run(submit, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert "holds nothing to register" in again.stdout
        assert w3.eth.get_transaction_count(registrar.address) == 1
