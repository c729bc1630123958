"""The recount of a recorded-mode election: every recorded proof verified off chain, the latest
valid revision per nullifier counted, invalid and duplicate records reported and not counted,
challenged records and verified single ballots in one sequence; and the same ballots give the
same count in both modes.

Two elections of the demo definition on one anvil, one per mode, with the same voters; every
proof is real (made for each election's scope).
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import BallotInput, ElectionContract, grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.groth16 import Proof
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.definition import load
from veche.definition.model import ElectionDefinition
from veche.definition.retime import starting_at
from veche.keys import verification_key_path
from veche.protocol import BallotMode, BallotRecord
from veche.recount import recount
from veche.recount.result import result_hash
from veche.voter import ballot_input

pytestmark = [pytest.mark.chain, pytest.mark.slow]

KEY = verification_key_path()
VOTERS = {0: 3, 1: 3}
"""Voters per district (the demo's north and south; east stays below its minimum)."""
FIRST = [(0, 0, 0), (0, 1, 1), (0, 2, 2), (1, 0, 1), (1, 1, 1), (1, 2, 0)]
"""(district, voter, choice) of every first ballot."""
REVOTE = (0, 0, 2)
"""North's first voter changes to list 2 (revision 2)."""


def _tags(commitments: list[int]) -> list[bytes]:
    return [
        bytes(Web3.keccak(b"recorded recount person " + c.to_bytes(32, "big"))) for c in commitments
    ]


@dataclass
class World:
    w3: Web3
    definitions: dict[BallotMode, ElectionDefinition]
    elections: dict[BallotMode, ElectionContract]
    voters: dict[int, list[Identity]]
    organizer: LocalAccount
    relayer: LocalAccount
    prover: Prover

    def ballot(
        self, mode: BallotMode, district: int, voter: int, choice: int, revision: int
    ) -> BallotInput:
        election = self.elections[mode]
        register = LeanIMT(v.commitment for v in self.voters[district])
        proved = self.prover.prove(
            ballot_input(
                register, election.scope(), self.voters[district][voter], district, choice, revision
            )
        )
        return BallotInput(
            district=district,
            choice=choice,
            revision=revision,
            merkle_root=int(proved["publicSignals"][0]),
            nullifier=int(proved["publicSignals"][1]),
            proof=tuple(Proof.from_snarkjs(proved["proof"]).packed()),
        )


def record(ballot: BallotInput) -> BallotRecord:
    return BallotRecord(
        ballot.nullifier, ballot.proof, ballot.district, ballot.choice, ballot.revision
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("recorded")
    with Anvil() as anvil, Prover() as prover:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer = dev_accounts(3)
        template = (REPO_ROOT / "examples" / "demo.toml").read_text()
        voters = {
            d: [Identity.from_private_key(bytes([d + 1, i + 1]) * 16) for i in range(n)]
            for d, n in VOTERS.items()
        }
        definitions, elections = {}, {}
        for mode in BallotMode:
            text = starting_at(template, latest_timestamp(w3))
            if mode is BallotMode.RECORDED:
                text = 'ballot_mode = "recorded"\n' + text
            (folder / f"{mode}.toml").write_text(text)
            definition = load(folder / f"{mode}.toml")
            grants = grants_everywhere(registrar.address, len(definition.districts), 100)
            election = deploy_from_definition(w3, organizer, definition, registrars=grants)
            time_travel(w3, max(0, election.calendar().registration_start - latest_timestamp(w3)))
            for district, identities in voters.items():
                members = [v.commitment for v in identities]
                election.add_members(registrar, district, members, _tags(members))
            definitions[mode], elections[mode] = definition, election
        elections[BallotMode.RECORDED].authorize_relayer(organizer, relayer.address)
        start = max(e.calendar().voting_start for e in elections.values())
        time_travel(w3, start - latest_timestamp(w3))
        yield World(w3, definitions, elections, voters, organizer, relayer, prover)


def _recount(world: World, mode: BallotMode, **options: Any) -> Any:
    election = world.elections[mode]
    return recount(world.w3, election.address, world.definitions[mode], KEY, **options)


def _bound_to(result: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`result` with the two fields that name its election (address, definition hash, which
    pins the mode) taken from `other`."""
    return {**result, "election": other["election"], "definitionHash": other["definitionHash"]}


@pytest.fixture(scope="module")
def cast(world: World) -> dict[str, Any]:
    """The same ballots in both modes: six first ballots, then one re-vote. Verified: one
    castBallots batch and a castBallot. Recorded: one batch of records, then the re-vote as a
    verified single ballot (joining the records' sequence); then, in the recorded election
    only, junk: an invalid record, a duplicate, a stale copy and a revision gap, with the
    invalid one challenged."""
    verified = world.elections[BallotMode.VERIFIED]
    ballots = [world.ballot(BallotMode.VERIFIED, d, v, c, 1) for d, v, c in FIRST]
    verified.cast_ballots(world.relayer, ballots)
    revote = world.ballot(BallotMode.VERIFIED, *REVOTE, 2)
    verified.cast_ballot(
        world.relayer,
        revote.district,
        revote.merkle_root,
        revote.nullifier,
        revote.choice,
        2,
        revote.proof,
    )

    recorded = world.elections[BallotMode.RECORDED]
    firsts = [world.ballot(BallotMode.RECORDED, d, v, c, 1) for d, v, c in FIRST]
    recorded.record_ballots(world.relayer, [record(b) for b in firsts])
    second = world.ballot(BallotMode.RECORDED, *REVOTE, 2)
    recorded.cast_ballot(
        world.organizer,  # a voter needs no relayer: anyone may send it
        second.district,
        second.merkle_root,
        second.nullifier,
        second.choice,
        2,
        second.proof,
    )
    clean_block = world.w3.eth.block_number

    # South's third voter: a record of revision 2 with another voter's proof (invalid: it must
    # not advance the sequence), then a real revision 3, which skips the missing revision 2.
    invalid = replace(firsts[4], nullifier=firsts[5].nullifier, revision=2)
    gap = world.ballot(BallotMode.RECORDED, 1, 2, 1, 3)
    junk = [record(firsts[1]), record(invalid), record(firsts[0]), record(gap)]
    recorded.record_ballots(world.relayer, junk)
    [batch] = recorded.recorded_batches(clean_block + 1)
    recorded.challenge_ballot(world.organizer, batch, 1)
    end = max(e.calendar().voting_end for e in world.elections.values())
    time_travel(world.w3, end - latest_timestamp(world.w3))
    return {"clean_block": clean_block}


def _votes(result: dict[str, Any]) -> dict[str, list[int]]:
    return {d["id"]: [row["votes"] for row in d["lists"]] for d in result["districts"]}


def test_the_same_ballots_give_the_same_count_in_both_modes(
    world: World, cast: dict[str, Any]
) -> None:
    verified = _recount(world, BallotMode.VERIFIED)
    recorded = _recount(world, BallotMode.RECORDED, at_block=cast["clean_block"])
    assert verified.verified and recorded.verified, (verified.discrepancies, recorded.discrepancies)
    assert _votes(verified.result) == {"north": [0, 1, 2], "south": [1, 2], "east": [0, 0]}
    same = _bound_to(recorded.result, verified.result)
    assert same == verified.result
    assert result_hash(same) == verified.result_hash


def test_invalid_and_duplicate_records_are_reported_and_not_counted(
    world: World, cast: dict[str, Any]
) -> None:
    verified = _recount(world, BallotMode.VERIFIED)
    recorded = _recount(world, BallotMode.RECORDED)
    assert recorded.verified, recorded.discrepancies
    assert _votes(recorded.result) == _votes(verified.result)
    assert recorded.result["ballots"] == {
        "seen": 11,
        "counted": 6,
        "excluded": 0,
        "superseded": 1,
        "rejected": 4,
        "rejectedReasons": [
            {"reason": "invalid_proof", "ballots": 1},
            {"reason": "revision_gap", "ballots": 1},
            {"reason": "stale_revision", "ballots": 2},
        ],
    }
    assert recorded.result["districts"] == verified.result["districts"]


def test_a_record_marked_invalid_that_verifies_would_be_a_discrepancy(
    world: World, cast: dict[str, Any]
) -> None:
    """The recount checks the chain's marks against its own verdicts: here it is told (by
    tampering with what it read) that a valid record was marked."""
    result = _recount(world, BallotMode.RECORDED)
    scan = result.scan
    assert scan is not None and len(scan.invalid_marks) == 1
    scan.invalid_marks[0].index = 0  # the duplicate of a valid ballot
    again = recount(
        world.w3,
        world.elections[BallotMode.RECORDED].address,
        world.definitions[BallotMode.RECORDED],
        KEY,
        resume=scan,
    )
    assert any("marked invalid on chain, but its proof verifies" in d for d in again.discrepancies)
    assert not again.verified


def test_the_organizer_authorises_and_suspends_relayer_accounts_from_the_command_line(
    world: World, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    from veche.chain.election import RelayerStatus

    account = dev_accounts(6)[5].address
    env = {**os.environ, "VECHE_ORGANIZER_KEY": world.organizer.key.hex()}
    rpc = str(getattr(world.w3.provider, "endpoint_uri", ""))

    # A fresh recorded election: relayers are managed only until voting ends, and this test
    # may run after `cast` has closed the module's elections.
    text = 'ballot_mode = "recorded"\n' + (REPO_ROOT / "examples" / "demo.toml").read_text()
    (tmp_path / "fresh.toml").write_text(starting_at(text, latest_timestamp(world.w3)))
    recorded = deploy_from_definition(world.w3, world.organizer, load(tmp_path / "fresh.toml"))
    elections = {
        BallotMode.RECORDED: recorded,
        BallotMode.VERIFIED: world.elections[BallotMode.VERIFIED],
    }

    def veche(mode: BallotMode, *args: str) -> subprocess.CompletedProcess[str]:
        common = ["--rpc", rpc, "--election", elections[mode].address, "--relayer", account]
        return subprocess.run(
            [sys.executable, "-m", "veche.cli.main", "relayers", *args, *common],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    done = veche(BallotMode.RECORDED, "authorize")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Relayer {account} may post ballot records"
    assert recorded.relayer_status(account) is RelayerStatus.AUTHORIZED
    done = veche(BallotMode.RECORDED, "suspend", "--reason", "posted junk")
    assert done.returncode == 0, done.stderr
    assert recorded.relayer_status(account) is RelayerStatus.SUSPENDED
    refused = veche(BallotMode.VERIFIED, "authorize")
    assert refused.returncode != 0 and "takes verified ballots" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_check_my_ballot_says_recorded_not_counted_and_ignores_junk_under_my_nullifier(
    world: World, cast: dict[str, Any]
) -> None:
    """South's third voter: a valid first ballot, then an invalid record and a skipping one
    under the same nullifier (anyone who saw it can copy it). `veche ballot` verifies each proof
    itself and tells the truth: recorded, verifying, not yet counted."""
    import os
    import subprocess
    import sys

    recorded = world.elections[BallotMode.RECORDED]
    nullifier = world.ballot(BallotMode.RECORDED, 1, 2, 0, 1).nullifier
    rpc = str(getattr(world.w3.provider, "endpoint_uri", ""))
    run = subprocess.run(
        [sys.executable, "-m", "veche.cli.main", "ballot", "--rpc", rpc, "--election",
         recorded.address, "--nullifier", str(nullifier)],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "Refused by the rules (invalid_proof): revision 2, list 1"
    assert lines[1] == "Refused by the rules (revision_gap): revision 3, list 1"
    assert lines[2].startswith(
        "Recorded, and its proof verifies here: district 1, list 0, revision 1"
    )
    assert "counted once the recount" in lines[2]
