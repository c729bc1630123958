"""A voter re-votes in a recorded-mode election, whichever way the earlier ballot went.

The contract stores no revision in this mode (`ballotOf` stays empty), so neither the relayer nor
the voter's client can read the revision to follow from a view: the client verifies its own
records, and the relayer refuses only revisions it already holds. Real anvil, real relayer over
HTTP, real proofs.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from eth_account.signers.local import LocalAccount

from tests.person_tags import stand_in_tags
from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import ElectionContract, grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover
from veche.definition import load
from veche.definition.retime import starting_at
from veche.devnet import RelayerProcess, relayer_process
from veche.voter import (
    PublicState,
    ballot_input,
    ballot_request,
    prepare_ballots,
    recorded_revision,
    send_ballot,
    wait_for_inclusion,
)

pytestmark = [pytest.mark.chain, pytest.mark.slow]


@dataclass
class World:
    election: ElectionContract
    voters: list[Identity]
    organizer: LocalAccount
    relayer: RelayerProcess
    prover: Prover


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("recorded-relayer")
    with Anvil() as anvil, Prover() as prover:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, paying = dev_accounts(3)
        text = starting_at((REPO_ROOT / "examples" / "demo.toml").read_text(), latest_timestamp(w3))
        (folder / "election.toml").write_text('ballot_mode = "recorded"\n' + text)
        definition = load(folder / "election.toml")
        grants = grants_everywhere(registrar.address, len(definition.districts), 100)
        election = deploy_from_definition(w3, organizer, definition, registrars=grants)
        time_travel(w3, max(0, election.calendar().registration_start - latest_timestamp(w3)))
        voters = [Identity.generate() for _ in range(3)]  # north's minimum is 3
        members = [v.commitment for v in voters]
        election.add_members(registrar, 0, members, stand_in_tags(members))
        election.authorize_relayer(organizer, paying.address)
        time_travel(w3, election.calendar().voting_start - latest_timestamp(w3))
        relayer = relayer_process(
            anvil.rpc_url,
            [paying.key.hex()],
            folder / "relayer.sqlite3",
            log=folder / "relayer.log",
            env={"VECHE_BATCH_WAIT_MS": "50"},
        ).start()
        try:
            yield World(election, voters, organizer, relayer, prover)
        finally:
            relayer.stop()


def _through_relayer(world: World, body: dict) -> dict:
    with httpx.Client() as client:
        send_ballot(client, world.relayer.url, body)
        return wait_for_inclusion(
            client, world.relayer.url, {**body, "nullifier": body["publicSignals"][1]}
        )


def test_a_revote_follows_the_voters_own_record(world: World) -> None:
    """Revision 1 goes through the relayer as a record; the voter's client finds it (it reads
    and verifies its records) and the re-vote carries revision 2, which the relayer records."""
    voter = world.voters[0]
    [first] = prepare_ballots(world.election, [(voter, 0)], world.prover)
    assert first["revision"] == 1
    _through_relayer(world, first)
    [second] = prepare_ballots(world.election, [(voter, 2)], world.prover)
    assert second["revision"] == 2
    _through_relayer(world, second)
    assert recorded_revision(world.election, int(second["publicSignals"][1])) == 2


def test_a_revote_through_the_relayer_follows_a_ballot_the_voter_sent_directly(
    world: World,
) -> None:
    """Revision 1 is a verified single ballot the voter paid for (the chain stores nothing for
    it in this mode); the relayer takes revision 2 and does not call it a revision gap."""
    voter = world.voters[1]
    [first] = prepare_ballots(world.election, [(voter, 1)], world.prover)
    root, nullifier, _, _ = (int(v) for v in first["publicSignals"])
    world.election.cast_ballot(
        world.organizer,
        first["district"],
        root,
        nullifier,
        first["choice"],
        1,
        tuple(int(v) for v in first["proof"]),
    )
    assert world.election.ballot_of(nullifier).revision == 0
    [second] = prepare_ballots(world.election, [(voter, 2)], world.prover)
    assert second["revision"] == 2
    _through_relayer(world, second)
    assert recorded_revision(world.election, nullifier) == 2


def test_the_relayer_refuses_a_revision_it_already_holds(world: World) -> None:
    """What the relayer can know in this mode it still checks: another ballot of a revision it
    already recorded for the voter is stale."""
    voter = world.voters[2]
    [first] = prepare_ballots(world.election, [(voter, 0)], world.prover)
    _through_relayer(world, first)
    state = PublicState.download(world.election)
    proved = world.prover.prove(ballot_input(state.registers[0], state.scope, voter, 0, 2, 1))
    other = ballot_request(world.election.address, 0, 2, 1, proved)
    with httpx.Client() as client:
        answer = client.post(f"{world.relayer.url}/ballots", json=other)
    assert answer.status_code == 409
    assert answer.json()["error"] == "stale_revision"
