"""A batch the contract refuses never takes its valid ballots down with it."""

import time

import httpx
import pytest

from veche.relayer.store import Status, Store, Submission
from veche.voter import prepare_ballots, wait_for_inclusion

from .conftest import make_relayer

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def _queued(body: dict) -> Submission:
    root, nullifier, _, _ = (int(v) for v in body["publicSignals"])
    return Submission(
        id=0,
        election=body["election"],
        nullifier=nullifier,
        district=body["district"],
        choice=body["choice"],
        revision=body["revision"],
        merkle_root=root,
        proof=tuple(int(v) for v in body["proof"]),
        status=Status.QUEUED,
    )


def test_a_bad_proof_in_a_batch_fails_alone_and_the_rest_are_counted(
    world, prover, tmp_path
) -> None:
    """A ballot whose proof the contract refuses is in the queue with valid ones (as if an
    older relayer had stored it unchecked): the batch that carries it reverts, is split, and
    that ballot alone fails, with the contract's error naming it."""
    voters = world.voters["north"] + world.voters["south"][:1]
    bodies = prepare_ballots(world.election, [(voter, 1) for voter in voters], prover)
    forged = bodies[2]
    forged["proof"] = [*forged["proof"][6:8], *forged["proof"][2:6], *forged["proof"][0:2]]
    relayer = make_relayer(world, tmp_path, VECHE_BATCH_SIZE="8")
    store = Store(relayer.database)
    store.add_many([_queued(body) for body in bodies])
    store.close()
    relayer.start()
    try:
        with httpx.Client() as client:
            valid = [
                wait_for_inclusion(client, relayer.url, {**b, "nullifier": b["publicSignals"][1]})
                for b in bodies
                if b is not forged
            ]
            deadline = time.monotonic() + 60
            while True:
                failed = client.get(
                    f"{relayer.url}/ballots/{forged['publicSignals'][1]}",
                    params={"election": world.election.address},
                ).json()["submission"]
                if failed["status"] == "failed" or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
    finally:
        relayer.stop()
    assert failed["status"] == "failed" and "InvalidProof" in failed["reason"]
    assert world.election.ballot_of(int(forged["publicSignals"][1])).revision == 0
    events = world.election.ballot_events()
    for ballot in valid:
        assert sum(e.nullifier == int(ballot["nullifier"]) for e in events) == 1
