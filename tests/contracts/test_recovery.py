"""Recovery of a lost key during registration (issue 13): the new commitment replaces the old one
in the leaf the person's dedup tag locates, only with the approval of `recoveryApprovals()`
registrars, never after registration; the old key can no longer vote, the new one can.

Attacks on recovery (a registrar hijacking someone's registration) are in
tests/adversarial/chain/test_recovery.py.
"""

from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.contracts.ballots import Voter, make_ballot
from tests.contracts.conftest import DEFINITION_HASH, DISTRICTS, QUOTA
from tests.contracts.reverts import reverts_with
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.deploy import Libraries, deploy_election
from veche.chain.election import Calendar, ElectionContract, grants_everywhere
from veche.chain.rpc import Rpc
from veche.cli.main import main
from veche.crypto.errors import LeafDoesNotExist
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.recount.registers import replay_registers
from veche.recount.scan import Scan
from veche.registrar.recovery import (
    RecoveryRefused,
    approve_replacement,
    current_register,
    replacement_digest,
    submit_replacement,
)
from veche.voter import NotRegistered, PublicState

pytestmark = pytest.mark.chain


@pytest.fixture
def desks(accounts: list[LocalAccount]) -> list[LocalAccount]:
    """Three more registrars (the fixture's registrar is the fourth)."""
    return [accounts[5], accounts[6], accounts[7]]


@pytest.fixture
def recovering(
    w3: Web3,
    election: ElectionContract,
    organizer: LocalAccount,
    registrar: LocalAccount,
    desks: list[LocalAccount],
    calendar: Calendar,
    voters: list[Voter],
) -> ElectionContract:
    """Registration open, voters 0-2 in district 0 and 3-4 in district 1, four registrars."""
    for desk in desks:
        election.authorize_registrar(organizer, desk.address, {0: 10, 1: 10})
    mine(w3, calendar.registration_start)
    north, south = [v.commitment for v in voters[:3]], [v.commitment for v in voters[3:]]
    election.add_members(registrar, 0, north, stand_in_tags(north))
    election.add_members(registrar, 1, south, stand_in_tags(south))
    return election


def test_the_offline_digest_is_the_contracts(recovering: ElectionContract, w3: Web3) -> None:
    tag = b"\x05" * 32
    assert replacement_digest(
        int(w3.eth.chain_id), recovering.address, tag, 11, 22, 3
    ) == recovering.replacement_digest(tag, 11, 22, 3)


def test_two_registrars_replace_a_lost_key_and_the_tree_follows(
    recovering: ElectionContract,
    desks: list[LocalAccount],
    outsider: LocalAccount,
    voters: list[Voter],
) -> None:
    lost = voters[1]
    tag = stand_in_tags([lost.commitment])[0]
    new = Identity.generate().commitment
    approvals = [approve_replacement(recovering, d, tag=tag, new_commitment=new) for d in desks[:2]]
    receipt = submit_replacement(recovering, outsider, approvals)
    assert receipt["status"] == 1
    expected = LeanIMT([voters[0].commitment, new, voters[2].commitment])
    assert recovering.merkle_root(0) == expected.root == current_register(recovering, 0).root
    (event,) = recovering.replacement_events()
    assert (event.district, event.index, event.old_commitment, event.new_commitment) == (
        0, 1, lost.commitment, new,
    )  # fmt: skip
    assert event.tag == tag and event.merkle_root == expected.root
    assert event.approvers == tuple(
        sorted((d.address for d in desks[:2]), key=lambda a: int(a, 16))
    )
    assert [recovering.replacements_approved(d.address) for d in desks] == [1, 1, 0]
    person = recovering.person(tag)
    assert (person.district, person.index, person.replacements) == (0, 1, 1)
    assert recovering.member_count(0) == 3, "a replacement adds no member"


def test_replacements_in_a_larger_register_keep_the_reference_root(
    recovering: ElectionContract,
    registrar: LocalAccount,
    desks: list[LocalAccount],
    voters: list[Voter],
) -> None:
    """Leaves at the edges: the first, one whose path carries a lone node up, the last."""
    more = [Identity.from_private_key(f"extra-{i}".encode()).commitment for i in range(10)]
    tags = stand_in_tags(more)
    recovering.add_members(registrar, 0, more, tags)
    leaves = [v.commitment for v in voters[:3]] + more
    for index, tag in ((12, tags[-1]), (3, tags[0]), (12, tags[-1]), (8, tags[5])):
        new = Identity.generate().commitment
        approvals = [approve_replacement(recovering, d, tag=tag, new_commitment=new) for d in desks]
        submit_replacement(recovering, desks[0], approvals)
        leaves[index] = new
        assert recovering.merkle_root(0) == LeanIMT(leaves).root, f"after replacing {index}"


def test_the_old_key_can_no_longer_vote_and_the_new_one_can(
    w3: Web3,
    prover: Prover,
    recovering: ElectionContract,
    desks: list[LocalAccount],
    relayer: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> None:
    lost = voters[2]
    found = Voter(Identity.from_private_key(b"the new key of voter 2"))
    tag = stand_in_tags([lost.commitment])[0]
    approvals = [
        approve_replacement(recovering, d, tag=tag, new_commitment=found.commitment)
        for d in desks[:2]
    ]
    submit_replacement(recovering, desks[2], approvals)
    mine(w3, calendar.voting_start)
    with pytest.raises(LeafDoesNotExist):
        make_ballot(prover, recovering, lost, district=0, choice=1, revision=1)
    # The old key, proving against the register it knew (with its own leaf): refused.
    stale = LeanIMT([v.commitment for v in voters[:3]])
    old = make_ballot(prover, recovering, lost, district=0, choice=1, revision=1, register=stale)
    with reverts_with(
        "RootMismatch", district=0, given=stale.root, expected=recovering.merkle_root(0)
    ):
        old.cast(recovering, relayer)
    ballot = make_ballot(prover, recovering, found, district=0, choice=1, revision=1)
    ballot.cast(recovering, relayer)
    assert recovering.ballot_of(ballot.nullifier).revision == 1


def test_nothing_can_be_replaced_once_registration_closes(
    w3: Web3,
    recovering: ElectionContract,
    desks: list[LocalAccount],
    calendar: Calendar,
    voters: list[Voter],
) -> None:
    tag = stand_in_tags([voters[0].commitment])[0]
    new = Identity.generate().commitment
    approvals = [approve_replacement(recovering, d, tag=tag, new_commitment=new) for d in desks]
    mine(w3, calendar.registration_end)
    with reverts_with(
        "RegistrationClosed",
        now=calendar.registration_end,
        start=calendar.registration_start,
        end=calendar.registration_end,
    ):
        submit_replacement(recovering, desks[0], approvals)


def test_the_recount_and_the_voter_replay_replacements_exactly(
    w3: Web3,
    recovering: ElectionContract,
    registrar: LocalAccount,
    desks: list[LocalAccount],
    calendar: Calendar,
    voters: list[Voter],
) -> None:
    """Batches and replacements interleaved: the recount's replay finds no discrepancy and the
    contract's roots; a forged replacement log is caught; the voter's download applies them and
    tells a replaced key why it is no longer in the register."""
    more = [Identity.from_private_key(f"later-{i}".encode()).commitment for i in range(5)]
    lost, found = voters[1], Identity.from_private_key(b"found")
    tag = stand_in_tags([lost.commitment])[0]
    approvals = [
        approve_replacement(recovering, d, tag=tag, new_commitment=found.commitment)
        for d in desks[:2]
    ]
    submit_replacement(recovering, desks[0], approvals)
    recovering.add_members(registrar, 0, more, stand_in_tags(more))
    again = Identity.from_private_key(b"found again")
    approvals = [
        approve_replacement(recovering, d, tag=tag, new_commitment=again.commitment)
        for d in desks[1:]
    ]
    submit_replacement(recovering, desks[1], approvals)

    rpc = Rpc(w3.provider.endpoint_uri)
    scan = Scan(recovering.address, int(w3.eth.chain_id), 0)
    scan.extend(rpc, int(w3.eth.block_number))
    assert len(scan.replacements) == 2
    discrepancies: list[str] = []
    registers = replay_registers(
        scan, 3, calendar, discrepancies, recovery_approvals=recovering.recovery_approvals()
    )
    assert discrepancies == []
    assert [tree.root for tree in registers.trees] == [recovering.merkle_root(d) for d in range(3)]
    assert registers.replacements == {
        d.address.lower(): n for d, n in zip(desks, (1, 2, 1), strict=True)
    }

    scan.replacements[1].old = 12345
    forged: list[str] = []
    replay_registers(scan, 3, calendar, forged, recovery_approvals=2)
    assert any("names old commitment 12345" in line for line in forged), forged

    state = PublicState.download(recovering)
    assert state.district_of(again) == 0
    for gone in (lost.identity, found):
        with pytest.raises(NotRegistered, match="replaced by a new key"):
            state.district_of(gone)


def test_the_registrars_replace_command_sends_approved_files_and_refuses_too_few(
    w3: Web3,
    recovering: ElectionContract,
    desks: list[LocalAccount],
    voters: list[Voter],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lost = voters[0]
    tag = stand_in_tags([lost.commitment])[0]
    new = Identity.from_private_key(b"desk key").commitment
    files = []
    for number, desk in enumerate(desks[:2]):
        approval = approve_replacement(recovering, desk, tag=tag, new_commitment=new)
        files.append(tmp_path / f"approval-{number}.json")
        approval.save(files[-1])
    monkeypatch.setenv("VECHE_REGISTRAR_KEY", desks[2].key.hex())
    base = ["registrar", "replace", "--rpc", w3.provider.endpoint_uri, "--election"]
    base.append(recovering.address)

    assert main([*base, "--approval", str(files[0])]) == 1
    error = capsys.readouterr().err.strip()
    assert error == "veche: error: 1 approvals, but this election needs 2 registrars"
    assert main([*base, "--approval", str(tmp_path / "missing.json")]) == 1
    assert "cannot read approval" in capsys.readouterr().err

    assert main([*base, "--approval", str(files[1]), "--approval", str(files[0])]) == 0
    assert f"replaced leaf 0 of district 0: commitment {lost.commitment} -> {new}" in (
        capsys.readouterr().out
    )
    assert current_register(recovering, 0).leaf(0) == new
    assert main([*base, "--approval", str(files[1]), "--approval", str(files[0])]) == 1
    assert "has been replaced since these approvals were made" in capsys.readouterr().err


def test_one_registrar_is_never_enough_and_zero_disables_recovery(
    w3: Web3,
    libraries: Libraries,
    deployer: LocalAccount,
    registrar: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> None:
    settings = dict(
        calendar=calendar,
        districts=DISTRICTS,
        definition_hash=DEFINITION_HASH,
        registrars=grants_everywhere(registrar.address, len(DISTRICTS), QUOTA),
        libraries=libraries,
    )
    with reverts_with("InvalidRecoveryApprovals", recoveryApprovals=1):
        deploy_election(w3, deployer, recovery_approvals=1, **settings)  # type: ignore[arg-type]
    closed = deploy_election(w3, deployer, recovery_approvals=0, **settings)  # type: ignore[arg-type]
    mine(w3, calendar.registration_start)
    member = voters[0].commitment
    tag = stand_in_tags([member])[0]
    closed.add_members(registrar, 0, [member], [tag])
    with pytest.raises(RecoveryRefused, match="deployed without recovery"):
        approve_replacement(closed, registrar, tag=tag, new_commitment=7)
    with reverts_with("RecoveryDisabled"):
        closed.replace_member(registrar, tag, member, 7, [], [b"\x00" * 65, b"\x00" * 65])
