"""Attacks on recovery: a registrar (or a few) using a person's documents, or approvals made for
something else, to take over that person's registration. The contract refuses each whoever
sends it; the threat analysis is in the README's "Threat model" ("Recovery of a lost key")."""

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.adversarial.catalogue import CONTRACT, attack
from tests.contracts.ballots import Voter
from tests.contracts.reverts import reverts_with
from tests.person_tags import stand_in_tags
from veche.chain.anvil import mine
from veche.chain.election import Calendar, ElectionContract
from veche.crypto.identity import Identity
from veche.registrar.recovery import current_register, replacement_digest

pytestmark = pytest.mark.chain


@pytest.fixture
def desks(accounts: list[LocalAccount]) -> list[LocalAccount]:
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
    """Registration open; voters 0-3 in district 0; four registrars; 2 approvals needed."""
    for desk in desks:
        election.authorize_registrar(organizer, desk.address, {0: 10})
    mine(w3, calendar.registration_start)
    north = [v.commitment for v in voters[:4]]
    election.add_members(registrar, 0, north, stand_in_tags(north))
    return election


def _sign(
    election: ElectionContract, signer: LocalAccount, tag: bytes, old: int, new: int, count: int
) -> bytes:
    digest = replacement_digest(
        int(election.w3.eth.chain_id), election.address, tag, old, new, count
    )
    signed = signer.unsafe_sign_hash(digest)
    return signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])


def _ordered(accounts: list[LocalAccount]) -> list[LocalAccount]:
    return sorted(accounts, key=lambda a: int(a.address, 16))


def _replace(
    election: ElectionContract,
    sender: LocalAccount,
    signers: list[LocalAccount],
    tag: bytes,
    old: int,
    new: int,
    count: int = 0,
    *,
    index: int | None = None,
) -> None:
    tree = current_register(election, 0)
    at = election.person(tag).index if index is None else index
    approvals = [_sign(election, s, tag, old, new, count) for s in signers]
    election.replace_member(sender, tag, old, new, list(tree.proof(at).siblings), approvals)


@attack(
    "recovery",
    "One corrupt registrar replaces a person's commitment with its own key "
    "(a hijack with too few approvals)",
    CONTRACT,
    refusal="TooFewApprovals(given, required); the leaf is unchanged",
)
def test_hijack_with_one_approval(recovering, desks, voters) -> None:
    victim = voters[0]
    tag = stand_in_tags([victim.commitment])[0]
    root = recovering.merkle_root(0)
    with reverts_with("TooFewApprovals", given=1, required=2):
        _replace(
            recovering, desks[0], desks[:1], tag, victim.commitment, Identity.generate().commitment
        )
    assert recovering.merkle_root(0) == root


@attack(
    "recovery",
    "A corrupt registrar counts its own approval twice",
    CONTRACT,
    refusal="ApprovalsNotOrdered(position, signer, previous)",
)
def test_one_registrar_approves_twice(recovering, desks, voters) -> None:
    victim = voters[0]
    tag = stand_in_tags([victim.commitment])[0]
    corrupt = desks[0]
    with reverts_with(
        "ApprovalsNotOrdered", position=1, signer=corrupt.address, previous=corrupt.address
    ):
        _replace(recovering, corrupt, [corrupt, corrupt], tag, victim.commitment, 12345)


@attack(
    "recovery",
    "A replacement sent once registration has closed (no time left for the holder to notice)",
    CONTRACT,
    refusal="RegistrationClosed(now, start, end)",
)
def test_replacement_after_close(w3, recovering, desks, voters, calendar) -> None:
    victim = voters[1]
    tag = stand_in_tags([victim.commitment])[0]
    mine(w3, calendar.registration_end)
    with reverts_with(
        "RegistrationClosed",
        now=calendar.registration_end,
        start=calendar.registration_start,
        end=calendar.registration_end,
    ):
        _replace(recovering, desks[0], _ordered(desks[:2]), tag, victim.commitment, 777)


@attack(
    "recovery",
    "Approvals for one person's tag used to replace another person's leaf "
    "(a commitment the tag does not locate)",
    CONTRACT,
    refusal="WrongSiblingPath(computed, root): the contract takes the leaf from the tag's record",
)
def test_replacing_a_leaf_the_tag_does_not_locate(recovering, desks, voters) -> None:
    accomplice, victim = voters[0], voters[2]
    tag = stand_in_tags([accomplice.commitment])[0]  # approved for the accomplice's tag...
    root = recovering.merkle_root(0)
    with pytest.raises(Exception, match="WrongSiblingPath"):
        # ...but naming the victim's commitment and the victim's path (leaf 2).
        _replace(recovering, desks[0], _ordered(desks[:2]), tag, victim.commitment, 999, index=2)
    assert recovering.merkle_root(0) == root


@attack(
    "recovery",
    "Approvals of an earlier replacement replayed to take the leaf back",
    CONTRACT,
    refusal="ApprovalNotFromRegistrar(position, signer): each approval signs the tag's "
    "replacement count",
)
def test_replayed_approvals(recovering, desks, voters, outsider) -> None:
    person = voters[1]
    tag = stand_in_tags([person.commitment])[0]
    hijacker = Identity.generate().commitment
    two = _ordered(desks[:2])
    approvals = [_sign(recovering, s, tag, person.commitment, hijacker, 0) for s in two]
    tree = current_register(recovering, 0)
    recovering.replace_member(
        outsider, tag, person.commitment, hijacker, list(tree.proof(1).siblings), approvals
    )
    # The holder notices the page's warning and is recovered back by two other registrars.
    _replace(recovering, outsider, _ordered(desks[1:]), tag, hijacker, person.commitment, 1)
    # The first approvals again: the leaf holds their old commitment, but the count moved on.
    tree = current_register(recovering, 0)
    digest = replacement_digest(
        int(recovering.w3.eth.chain_id), recovering.address, tag, person.commitment, hijacker, 2
    )
    first_signer = Account._recover_hash(digest, signature=approvals[0])
    with reverts_with("ApprovalNotFromRegistrar", position=0, signer=first_signer):
        recovering.replace_member(
            outsider, tag, person.commitment, hijacker, list(tree.proof(1).siblings), approvals
        )
    assert current_register(recovering, 0).leaves[1] == person.commitment


@attack(
    "recovery",
    "A suspended registrar's approval completes a replacement",
    CONTRACT,
    refusal="ApprovalFromSuspendedRegistrar(position, signer)",
)
def test_suspended_registrars_approval(recovering, organizer, desks, voters) -> None:
    victim = voters[0]
    tag = stand_in_tags([victim.commitment])[0]
    two = _ordered(desks[:2])
    recovering.suspend_registrar(organizer, two[1].address, "documents used without consent")
    with reverts_with("ApprovalFromSuspendedRegistrar", position=1, signer=two[1].address):
        _replace(recovering, two[0], two, tag, victim.commitment, 4242)


@attack(
    "recovery",
    "An approval signed by an account that is no registrar",
    CONTRACT,
    refusal="ApprovalNotFromRegistrar(position, signer)",
)
def test_approval_from_a_non_registrar(recovering, desks, outsider, voters) -> None:
    victim = voters[0]
    tag = stand_in_tags([victim.commitment])[0]
    signers = _ordered([desks[0], outsider])
    position = signers.index(outsider)
    with reverts_with("ApprovalNotFromRegistrar", position=position, signer=outsider.address):
        _replace(recovering, desks[0], signers, tag, victim.commitment, 31337)
