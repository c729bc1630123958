"""Gas of encrypted ballots (the development election key's circuit, 39 public signals), for
bench/gas.py to report beside the plain ones.

One election of two districts (3 and 2 options) with `count` registered voters, on a fresh
anvil; every voter's encrypted ballot is proven for real (distinct identities, nullifiers,
randomness and ciphertexts) by the encrypted circuit's prover on two processes. The chain is
snapshotted once voting opens, and each measurement starts from that snapshot, so every ballot
measured is the first of its nullifier: `castEncryptedBallot` (singles), `castEncryptedBallots`
in batches of each size, then, on a second anvil where the same deployments give the same
addresses (so the same proofs), `recordBallots` of encrypted records in batches of each size.
"""

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp, mine, revert_to, snapshot
from veche.chain.artifacts import load_artifact
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import Libraries, deploy_contract, deploy_election
from veche.chain.election import (
    MAX_TRANSACTION_GAS,
    Calendar,
    DistrictConfig,
    ElectionContract,
    EncryptedBallotInput,
    grants_everywhere,
)
from veche.crypto.groth16 import Proof
from veche.crypto.hashing import message_signal, scope_signal
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import encrypted_ballot_input, encrypted_prover
from veche.protocol import BallotMode, EncryptedBallotRecord
from veche.protocol.records import ciphertext_bytes
from veche.trustees.development import DEVELOPMENT_KEY
from veche.trustees.key import ElectionKey

DISTRICTS = (
    DistrictConfig(option_count=3, minimum_members=1),
    DistrictConfig(option_count=2, minimum_members=1),
)
SINGLES = 4
LARGE_GAS = 30_000_000


def _voters(count: int) -> list[Identity]:
    return [Identity.from_private_key(b"veche gas bench encrypted %d" % i) for i in range(count)]


def _build(w3: Web3, voters: list[Identity], mode: BallotMode) -> ElectionContract:
    """The bench's encrypted election at its deterministic address (same accounts, same
    nonces on a fresh anvil), its voters registered in turn in each district, at the first
    second of voting."""
    organizer, registrar, _, relayer, deployer = dev_accounts(5)
    verifier = deploy_contract(w3, deployer, load_artifact("EncryptedBallotVerifier"))
    poseidon = deploy_contract(w3, deployer, load_artifact("PoseidonT3"))
    now = latest_timestamp(w3)
    calendar = Calendar(now + 10, now + 100_000, now + 100_000, now + 200_000, now + 300_000)
    election = deploy_election(
        w3,
        deployer,
        organizer=organizer.address,
        calendar=calendar,
        districts=DISTRICTS,
        definition_hash=bytes(Web3.keccak(b"veche gas bench encrypted")),
        registrars=grants_everywhere(registrar.address, len(DISTRICTS), 2**20),
        libraries=Libraries(poseidon_t3=poseidon, verifier=verifier),
        ballot_mode=mode,
        election_key_hash=ElectionKey.load(DEVELOPMENT_KEY).key_hash(),
    )
    mine(w3, calendar.registration_start)
    for district in range(len(DISTRICTS)):
        members = [v.commitment for v in voters[district :: len(DISTRICTS)]]
        tags = [bytes(Web3.keccak(b"veche bench person " + c.to_bytes(32, "big"))) for c in members]
        election.add_members_batched(registrar, district, members, tags, batch_size=100)
    if mode is BallotMode.RECORDED:
        election.authorize_relayer(organizer, relayer.address)
    mine(w3, calendar.voting_start)
    return election


def _prove(election: ElectionContract, voters: list[Identity]) -> list[EncryptedBallotInput]:
    """Each voter's encrypted ballot (first revision, choice 0), proven for real."""
    registers = {}
    for district in range(len(DISTRICTS)):
        members = [v.commitment for v in voters[district :: len(DISTRICTS)]]
        registers[district] = LeanIMT(members)
    inputs = []
    for position, voter in enumerate(voters):
        district = position % len(DISTRICTS)
        options = DISTRICTS[district].option_count
        path = registers[district].proof_of(voter.commitment)
        plain = {
            "secret": voter.secret_scalar,
            "merkleProofLength": path.length,
            "merkleProofIndex": path.index,
            "merkleProofSiblings": path.padded_siblings(),
            "message": message_signal(0, 1, district),
            "scope": scope_signal(election.scope()),
        }
        inputs.append(encrypted_ballot_input(plain, choice=position % options, options=options))
    started = time.perf_counter()
    with encrypted_prover(parallel=2) as prover:
        results = prover.prove_many(inputs)
    print(f"encrypted: {len(results)} proofs in {time.perf_counter() - started:.0f} s")
    ballots = []
    for position, result in enumerate(results):
        signals = [int(s) for s in result["publicSignals"]]
        ballots.append(
            EncryptedBallotInput(
                district=position % len(DISTRICTS),
                revision=1,
                merkle_root=signals[0],
                nullifier=signals[1],
                proof=tuple(Proof.from_snarkjs(result["proof"]).packed()),
                ciphertext=ciphertext_bytes(signals[2:36]),
            )
        )
    return ballots


@contextmanager
def _rolled_back(w3: Web3) -> Iterator[None]:
    mark = snapshot(w3)
    try:
        yield
    finally:
        revert_to(w3, mark)


def _verified(
    election: ElectionContract,
    relayer: LocalAccount,
    ballots: list[EncryptedBallotInput],
    sizes: list[int],
) -> dict[str, Any]:
    with _rolled_back(election.w3):
        singles = [
            int(election.cast_encrypted_ballot(relayer, b)["gasUsed"]) for b in ballots[:SINGLES]
        ]
    by_size: dict[str, Any] = {}
    for size in sizes:
        with _rolled_back(election.w3):
            # Sent with more gas than EIP-7825 lets a transaction have, to learn what a batch
            # of this size needs; `fitsOneTransaction` says whether it is under the cap.
            receipt = election.cast_encrypted_ballots(
                relayer, ballots[:size], gas=LARGE_GAS, simulate=False
            )
            used = int(receipt["gasUsed"])
            assert receipt["status"] == 1 and election.ballot_count() == size
        by_size[str(size)] = {
            "gasUsed": used,
            "perBallot": round(used / size),
            "fitsOneTransaction": used <= MAX_TRANSACTION_GAS,
        }
        print(f"encrypted verified: batch of {size}: {round(used / size):,} gas a ballot")
    return {"single": int(statistics.median(singles)), "singles": singles, "batches": by_size}


def _recorded(
    election: ElectionContract,
    relayer: LocalAccount,
    ballots: list[EncryptedBallotInput],
    sizes: list[int],
) -> dict[str, Any]:
    records = [
        EncryptedBallotRecord(b.nullifier, b.proof, b.district, b.revision, b.ciphertext)
        for b in ballots
    ]
    by_size: dict[str, Any] = {}
    for size in sizes:
        # Past the proofs made, records repeat (the contract checks no proof here; gas is the
        # same for a repeated record).
        batch = [records[i % len(records)] for i in range(size)]
        receipt = election.record_ballots(relayer, batch)
        used = int(receipt["gasUsed"])
        by_size[str(size)] = {"gasUsed": used, "perBallot": round(used / size)}
        print(f"encrypted recorded: batch of {size}: {round(used / size):,} gas a ballot")
    # One record whose ciphertext its proof does not cover (C_0 and C_1 swapped) in a batch of
    # 32, challenged.
    batch = records[: min(32, len(records))]
    c = batch[5].ciphertext
    batch[5] = replace(batch[5], ciphertext=c[:64] + c[128:192] + c[64:128] + c[192:])
    election.record_ballots(relayer, batch)
    posted = election.recorded_batches()[-1]
    challenge = election.challenge_ballot(dev_accounts(3)[2], posted, 5)
    assert election.is_record_invalid(posted.batch, 5)
    return {"batches": by_size, "challengeInvalidInBatchOf32": int(challenge["gasUsed"])}


def measure_encrypted(batches: list[int], records: list[int]) -> dict[str, Any]:
    """The encrypted ballots' gas (see the module's docstring)."""
    count = max(SINGLES, *batches)
    voters = _voters(count)
    relayer = dev_accounts(4)[3]
    started = time.perf_counter()
    with Anvil(gas_limit=60_000_000) as anvil:
        election = _build(connect(anvil.rpc_url), voters, BallotMode.VERIFIED)
        ballots = _prove(election, voters)
        verified = _verified(election, relayer, ballots, batches)
    with Anvil(gas_limit=60_000_000) as anvil:
        recorded_election = _build(connect(anvil.rpc_url), voters, BallotMode.RECORDED)
        if recorded_election.address != election.address:
            raise SystemExit("the recorded election is not at the verified one's address")
        recorded = _recorded(recorded_election, relayer, ballots, records)
    return {
        "single": verified["single"],
        "verified": verified,
        "recorded": recorded,
        "proofs": count,
        "notes": [
            "Real, distinct encrypted proofs of the development election key's circuit (one "
            "registered voter each); every measurement starts from the same snapshot at the "
            "opening of voting, so every verified ballot is the first of its nullifier.",
            "Batches are sent with 30 M gas to measure them; fitsOneTransaction says whether a "
            "batch is under EIP-7825's 16,777,216 cap (the client sends at most the cap).",
            "Recorded batches larger than the proofs made repeat records (the same gas).",
        ],
        "seconds": round(time.perf_counter() - started),
    }
