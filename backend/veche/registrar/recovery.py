"""Recovery of a lost key during registration: registrars approve, anyone submits.

A person who lost their key comes to a desk with their documents and a new key. Each approving
registrar checks the documents and the holder proof of the new key itself, recomputes the
person's dedup tag with the authorities (so that no registrar has to trust another's word for
whose registration this is), reads from the chain where that person's leaf is and what it holds
now, and signs an EIP-712 approval of exactly that replacement (`approve_replacement`). Once
`recoveryApprovals()` registrars have signed, anyone sends the replacement with the leaf's
Merkle path (`submit_replacement`). Every approval names the tag's replacement count, so it
works once; the contract checks everything again (docs/PROTOCOL.md, Recovery).

An approval file holds no personal data: the tag, the two commitments and the signature.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import Hash32
from eth_utils import keccak, to_checksum_address
from web3.types import TxReceipt

from veche.chain.election import ElectionContract
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.imt import LeanIMT
from veche.errors import VecheError
from veche.protocol.phases import Phase
from veche.protocol.spec import (
    RECOVERY_APPROVAL_TYPE,
    RECOVERY_DOMAIN_NAME,
    RECOVERY_DOMAIN_VERSION,
)

APPROVAL_FORMAT = "veche-replacement-approval/1"

_DOMAIN_TYPE = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"


class RecoveryRefused(VecheError):
    """A replacement cannot be approved or sent: the reason names the offending value."""


def replacement_digest(
    chain_id: int,
    election: str,
    tag: bytes,
    old_commitment: int,
    new_commitment: int,
    replacements: int,
) -> bytes:
    """The EIP-712 digest of one replacement, computed offline (the contract's
    `replacementDigest` gives the same: tests/contracts/test_recovery.py)."""
    domain = keccak(
        keccak(text=_DOMAIN_TYPE)
        + keccak(text=RECOVERY_DOMAIN_NAME)
        + keccak(text=RECOVERY_DOMAIN_VERSION)
        + chain_id.to_bytes(32, "big")
        + bytes(12)
        + bytes.fromhex(to_checksum_address(election)[2:])
    )
    body = keccak(
        keccak(text=RECOVERY_APPROVAL_TYPE)
        + bytes(tag)
        + old_commitment.to_bytes(32, "big")
        + new_commitment.to_bytes(32, "big")
        + replacements.to_bytes(32, "big")
    )
    return keccak(b"\x19\x01" + domain + body)


@dataclass(frozen=True)
class Approval:
    """One registrar's signed approval of one replacement."""

    chain_id: int
    election: str
    tag: bytes
    old_commitment: int
    new_commitment: int
    replacements: int
    district: int
    index: int
    registrar: str
    signature: bytes

    def key(self) -> tuple[Any, ...]:
        """What every approval of the same replacement shares."""
        return (
            self.chain_id,
            self.election.lower(),
            self.tag,
            self.old_commitment,
            self.new_commitment,
            self.replacements,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": APPROVAL_FORMAT,
            "chainId": self.chain_id,
            "election": self.election,
            "tag": "0x" + self.tag.hex(),
            "oldCommitment": str(self.old_commitment),
            "newCommitment": str(self.new_commitment),
            "replacements": self.replacements,
            "district": self.district,
            "index": self.index,
            "registrar": self.registrar,
            "signature": "0x" + self.signature.hex(),
        }

    @classmethod
    def load(cls, path: Path) -> "Approval":
        try:
            data = json.loads(path.read_text())
            if data.get("format") != APPROVAL_FORMAT:
                raise RecoveryRefused(f"{path} is not a replacement approval")
            return cls(
                chain_id=int(data["chainId"]),
                election=to_checksum_address(data["election"]),
                tag=bytes.fromhex(data["tag"].removeprefix("0x")),
                old_commitment=int(data["oldCommitment"]),
                new_commitment=int(data["newCommitment"]),
                replacements=int(data["replacements"]),
                district=int(data["district"]),
                index=int(data["index"]),
                registrar=to_checksum_address(data["registrar"]),
                signature=bytes.fromhex(data["signature"].removeprefix("0x")),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise RecoveryRefused(f"cannot read approval {path}: {error}") from None

    def save(self, path: Path) -> None:
        from veche.cli.common import write_atomically

        write_atomically(path, (json.dumps(self.to_json(), indent=2) + "\n").encode())


def current_register(election: ElectionContract, district: int) -> LeanIMT:
    """The district's register as the chain holds it now: its `MemberAdded` leaves with every
    `MemberReplaced` applied in chain order; refused unless its root is the contract's."""
    leaves: dict[int, int] = {
        event.index: event.commitment for event in election.member_events(district=district)
    }
    tree = LeanIMT([leaves[i] for i in range(len(leaves))])
    for event in election.replacement_events(district=district):
        tree.replace(event.index, event.new_commitment)
    root = election.merkle_root(district)
    if tree.root != root:
        raise RecoveryRefused(
            f"district {district}'s register rebuilt from the logs has root {tree.root}, not "
            f"the contract's {root}: the node's logs are incomplete, try another node"
        )
    return tree


def approve_replacement(
    election: ElectionContract,
    registrar: LocalAccount,
    *,
    tag: bytes,
    new_commitment: int,
) -> Approval:
    """Checks what the chain holds for `tag` and signs the replacement of its leaf's current
    commitment by `new_commitment`. Refuses (`RecoveryRefused`) outside registration, when the
    election has no recovery, for a tag nobody is registered under, a new commitment that is
    not a field element or is the current one, and a registrar that is not (or no longer) one."""
    if not 0 < new_commitment < SNARK_SCALAR_FIELD:
        raise RecoveryRefused(f"commitment {new_commitment} is not a non-zero field element")
    if election.recovery_approvals() == 0:
        raise RecoveryRefused(f"election {election.address} was deployed without recovery")
    if election.phase() is not Phase.REGISTRATION:
        raise RecoveryRefused(
            "registration is not open: a commitment can only be replaced during registration"
        )
    state = election.registrar_state(registrar.address)
    if not state.authorized or state.suspended:
        standing = "suspended" if state.authorized else "not a registrar"
        raise RecoveryRefused(f"{registrar.address} is {standing}: its approval would not count")
    person = election.person(tag)
    if not person.registered:
        raise RecoveryRefused(
            f"nobody is registered under person tag 0x{tag.hex()}: check the attributes "
            "(a first registration is `veche registrar add`)"
        )
    old = current_register(election, person.district).leaves[person.index]
    if old == new_commitment:
        raise RecoveryRefused(f"commitment {new_commitment} is already this person's")
    chain_id = int(election.w3.eth.chain_id)
    digest = replacement_digest(
        chain_id, election.address, tag, old, new_commitment, person.replacements
    )
    if digest != election.replacement_digest(tag, old, new_commitment, person.replacements):
        raise RecoveryRefused(
            f"{election.address} computes another approval digest: not a Veche election of "
            "this version"
        )
    signed = registrar.unsafe_sign_hash(Hash32(digest))
    signature = signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])
    return Approval(
        chain_id=chain_id,
        election=election.address,
        tag=bytes(tag),
        old_commitment=old,
        new_commitment=new_commitment,
        replacements=person.replacements,
        district=person.district,
        index=person.index,
        registrar=registrar.address,
        signature=signature,
    )


def submit_replacement(
    election: ElectionContract, sender: LocalAccount, approvals: Sequence[Approval]
) -> TxReceipt:
    """Sends the replacement the `approvals` agree on, ordered by signer, with the leaf's path
    in the current register. Refuses approvals of different replacements or elections, one
    registrar twice, too few, and a replacement the chain has moved past."""
    if not approvals:
        raise RecoveryRefused("no approvals given")
    keys = {approval.key() for approval in approvals}
    if len(keys) != 1:
        raise RecoveryRefused(
            f"the {len(approvals)} approvals are for {len(keys)} different replacements: "
            "every approval must name the same election, tag, commitments and count"
        )
    first = approvals[0]
    if first.election.lower() != election.address.lower():
        raise RecoveryRefused(f"the approvals are for election {first.election}")
    signers = sorted(approvals, key=lambda a: int(a.registrar, 16))
    registrars = [a.registrar for a in signers]
    if len(set(registrars)) != len(registrars):
        raise RecoveryRefused(f"one registrar approved twice: {registrars}")
    required = election.recovery_approvals()
    if len(signers) < required:
        raise RecoveryRefused(
            f"{len(signers)} approvals, but this election needs {required} registrars"
        )
    person = election.person(first.tag)
    if person.replacements != first.replacements:
        raise RecoveryRefused(
            f"person tag 0x{first.tag.hex()} has been replaced since these approvals were made "
            f"(replacement count {person.replacements}, approved at {first.replacements}): "
            "they no longer apply, approve again"
        )
    tree = current_register(election, person.district)
    if tree.leaves[person.index] != first.old_commitment:
        raise RecoveryRefused(
            f"leaf {person.index} of district {person.district} holds "
            f"{tree.leaves[person.index]}, not the approved old commitment {first.old_commitment}"
        )
    path = tree.proof(person.index)
    return election.replace_member(
        sender,
        first.tag,
        first.old_commitment,
        first.new_commitment,
        list(path.siblings),
        [a.signature for a in signers],
    )
