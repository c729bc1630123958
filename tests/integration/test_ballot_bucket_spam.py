"""Attack: an authorised relayer re-posts one voter's record in block after block (the recorded
mode orders nothing, so the chain takes every copy). Ballot buckets that listed every record
made that voter's "check my ballot" point at every one of those blocks, so the page downloaded
the whole ballot stream and crashed. The buckets name one block a nullifier (the record that
counts) and count the copies; the page's side (a bucket that names more is refused, a large
count is shown as a warning) is tests/browser/test_register_snapshots.py.

A real recorded-mode election of the demo definition on anvil, a real proof, `veche recount
--buckets` run as a user runs it.
"""

import json
from pathlib import Path

import pytest
from web3 import Web3

from tests.adversarial.cli import veche
from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.groth16 import Proof
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.definition import load
from veche.definition.retime import starting_at
from veche.protocol import BallotRecord
from veche.recount.buckets import bucket_file, bucket_of
from veche.voter import ballot_input

pytestmark = [pytest.mark.chain, pytest.mark.slow]

COPIES = 120
"""Blocks the relayer re-posts the voter's record in, one copy a block."""


def test_a_relayer_reposting_a_record_in_many_blocks_leaves_one_bucket_entry(
    tmp_path: Path,
) -> None:
    with Anvil() as anvil, Prover() as prover:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer = dev_accounts(3)
        text = starting_at((REPO_ROOT / "examples" / "demo.toml").read_text(),
                           latest_timestamp(w3))  # fmt: skip
        definition_file = tmp_path / "recorded.toml"
        definition_file.write_text('ballot_mode = "recorded"\n' + text)
        definition = load(definition_file)
        grants = grants_everywhere(registrar.address, len(definition.districts), 100)
        election = deploy_from_definition(w3, organizer, definition, registrars=grants)
        calendar = election.calendar()
        time_travel(w3, max(0, calendar.registration_start - latest_timestamp(w3)))
        voters = [Identity.from_private_key(bytes([9, i + 1]) * 16) for i in range(3)]
        members = [v.commitment for v in voters]
        tags = [bytes(Web3.keccak(b"bucket spam person " + bytes([i]))) for i in range(3)]
        election.add_members(registrar, 0, members, tags)
        election.authorize_relayer(organizer, relayer.address)
        time_travel(w3, calendar.voting_start - latest_timestamp(w3))

        proved = prover.prove(ballot_input(LeanIMT(members), election.scope(), voters[0], 0, 1, 1))
        nullifier = int(proved["publicSignals"][1])
        record = BallotRecord(
            nullifier, tuple(Proof.from_snarkjs(proved["proof"]).packed()), 0, 1, 1
        )
        counted_block = election.record_ballots(relayer, [record])["blockNumber"]
        for _ in range(COPIES):  # automine: one block a copy
            election.record_ballots(relayer, [record], simulate=False)
        assert w3.eth.block_number >= counted_block + COPIES

        buckets = tmp_path / "buckets"
        run = veche(
            "recount", "--rpc", anvil.rpc_url, "--election", election.address,
            "--definition", str(definition_file), "--buckets", str(buckets),
            "--bucket-bits", "4", "--json", "-",
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        counted = json.loads(run.stdout)["result"]["ballots"]
        assert counted["counted"] == 1 and counted["rejected"] == COPIES, counted

        bucket = json.loads((buckets / bucket_file(bucket_of(nullifier, 4), 4)).read_text())
        mine = [entry for entry in bucket["ballots"] if entry[0] == str(nullifier)]
        # One block to read, whatever the relayer posted; the copies are a count.
        assert mine == [[str(nullifier), counted_block, COPIES]]
        index = json.loads((buckets / "index.json").read_text())
        assert (index["ballots"], index["nullifiers"]) == (COPIES + 1, 1)
        total = sum(path.stat().st_size for path in buckets.iterdir())
        assert total < 10_000, total
