"""The voter's side, for scripts: build a ballot from public data alone, prove it, send it.

The voter's device downloads the whole register (every `MemberAdded` event) and finds its own
Merkle path locally; asking a server for "my path" would tell that server who is about to vote.
It also finds its own earlier ballots by scanning all `BallotCast` events, never by asking for
its nullifier, which would link the asker's network address to a ballot.
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from veche.chain.election import ElectionContract
from veche.crypto.groth16 import Proof, VerifyingKey, parse_packed, verify
from veche.crypto.hashing import encrypted_public_signals, message_signal, semaphore_hash
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover, encrypted_ballot_input
from veche.errors import VecheError
from veche.keys import encrypted_zk_dir, verification_key_path
from veche.model import Ballot, BallotBox, DistrictRules, ElectionRules
from veche.model.proofs import load_check
from veche.protocol import BallotMode, BallotSecrecy, decode_encrypted_records, decode_records
from veche.protocol.records import ciphertext_words
from veche.protocol.rules import (
    IncompleteRegister,
    apply_replacements,
    next_revision,
    registers_from_members,
)
from veche.protocol.spec import TREE_DEPTH, ZK_VERIFICATION_KEY


class NotRegistered(VecheError):
    """The identity's commitment is not in the election's register."""


class RelayerError(VecheError):
    """The relayer refused the ballot or could not be reached; `code` is its error code."""

    def __init__(self, code: str, detail: str, status: int | None = None) -> None:
        self.code = code
        self.detail = detail
        self.status = status
        super().__init__(f"relayer refused the ballot: {detail} ({code})")


@dataclass(frozen=True)
class PublicState:
    """What a voter downloads before voting: every district's register and all ballots so far."""

    registers: dict[int, LeanIMT]
    scope: int
    revisions: dict[int, int]
    """The revision the chain stores per nullifier (its last `BallotCast`: the contract accepts
    a ballot only if its revision follows the stored one)."""
    replaced: frozenset[int] | set[int] = frozenset()
    """Commitments a `MemberReplaced` took out of a register (a recovered lost key)."""
    recorded: bool = False
    """The recorded ballot mode: `revisions` holds only verified single ballots; a voter's
    revision comes from `recorded_revision`, which also reads and verifies its records."""
    encrypted: bool = False
    """Ballots carry a ciphertext of the choice under the election key (the encrypted ballot
    circuit has the key built in): `options` says how many options each district has."""
    options: tuple[int, ...] = ()

    @classmethod
    def download(cls, election: ElectionContract) -> "PublicState":
        """Reads every register and ballot; refuses a register whose events leave a gap or
        whose rebuilt root is not the contract's (an RPC node that hides or invents members)."""
        members = ((m.district, m.index, m.commitment) for m in election.member_events())
        leaves, gaps = registers_from_members(members, election.district_count())
        replaced = election.replacement_events()
        gaps += apply_replacements(
            leaves, ((r.district, r.index, r.old_commitment, r.new_commitment) for r in replaced)
        )
        problems = [str(gap) for gap in gaps]
        if problems:
            raise IncompleteRegister(
                f"the register read from the chain is incomplete: {problems[0]}"
            )
        registers = {district: LeanIMT(members) for district, members in enumerate(leaves)}
        for district, register in registers.items():
            if register.root != election.merkle_root(district):
                raise IncompleteRegister(
                    f"district {district}: the register rebuilt from events has root "
                    f"{register.root}, the contract {election.merkle_root(district)}"
                )
        encrypted = election.ballot_secrecy() is BallotSecrecy.ENCRYPTED
        events = election.encrypted_ballot_events() if encrypted else election.ballot_events()
        revisions = {ballot.nullifier: ballot.revision for ballot in events}
        replaced_commitments = {r.old_commitment for r in replaced}
        recorded = election.ballot_mode() is BallotMode.RECORDED
        options = tuple(d.option_count for d in election.districts())
        return cls(
            registers,
            election.scope(),
            revisions,
            replaced_commitments,
            recorded,
            encrypted,
            options,
        )

    def nullifier_of(self, identity: Identity) -> int:
        return identity.nullifier(semaphore_hash(self.scope))

    def district_of(self, identity: Identity) -> int:
        """The district whose register holds `identity`; raises `NotRegistered` if none does."""
        for district, register in self.registers.items():
            if register.has(identity.commitment):
                return district
        if identity.commitment in self.replaced:
            raise NotRegistered(
                "this key's registration was replaced by a new key (a recovery approved by "
                "registrars): it can no longer vote. If you did not ask for it, go to a "
                "registrar before registration closes"
            )
        raise NotRegistered("this identity is not in any district's register of this election")


def ballot_input(
    register: LeanIMT, scope: int, identity: Identity, district: int, choice: int, revision: int
) -> dict[str, Any]:
    """The Semaphore circuit's input for `identity`'s ballot (see docs/PROTOCOL.md)."""
    if not register.has(identity.commitment):
        raise NotRegistered("this identity is not in the register it would prove against")
    proof = register.proof_of(identity.commitment)
    return {
        "secret": identity.secret_scalar,
        "merkleProofLength": proof.length,
        "merkleProofIndex": proof.index,
        "merkleProofSiblings": proof.padded_siblings(TREE_DEPTH),
        "message": message_signal(choice, revision, district),
        "scope": semaphore_hash(scope),
    }


def ballot_request(
    election_address: str,
    district: int,
    choice: int | None,
    revision: int,
    proved: dict[str, Any],
) -> dict[str, Any]:
    """The relayer's `POST /ballots` body for a proof returned by the prover; an encrypted
    ballot (`choice` None) says nothing of its choice: its signals carry the ciphertext."""
    packed = Proof.from_snarkjs(proved["proof"]).packed()
    return {
        "election": election_address,
        "district": district,
        **({} if choice is None else {"choice": choice}),
        "revision": revision,
        "proof": [str(v) for v in packed],
        "publicSignals": [str(v) for v in proved["publicSignals"]],
    }


def prepare_ballots(
    election: ElectionContract,
    votes: Sequence[tuple[Identity, int]],
    prover: Prover,
    state: PublicState | None = None,
    pending: Mapping[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Proves one ballot per `(identity, choice)` in the voter's own district, each at that
    voter's next revision: after the chain's and after `pending` (nullifier -> revision a relayer
    accepted that is not on chain yet). In an encrypted election `prover` must be the encrypted
    ballot circuit's (`veche.crypto.prover.encrypted_prover`): each ballot encrypts its choice
    with fresh randomness, forgotten once proved (whoever keeps it can decrypt the ballot)."""
    state = state or PublicState.download(election)
    pending = pending or {}
    plans = []
    for identity, choice in votes:
        district = state.district_of(identity)
        nullifier = state.nullifier_of(identity)
        counted = (
            recorded_revision(election, nullifier)
            if state.recorded
            else state.revisions.get(nullifier, 0)
        )
        revision = next_revision(counted, pending.get(nullifier, 0))
        plans.append((identity, district, choice, revision))
    inputs = []
    for identity, district, choice, rev in plans:
        register = state.registers[district]
        if state.encrypted:
            plain = ballot_input(register, state.scope, identity, district, 0, rev)
            inputs.append(
                encrypted_ballot_input(plain, choice=choice, options=state.options[district])
            )
        else:
            inputs.append(ballot_input(register, state.scope, identity, district, choice, rev))
    proved = prover.prove_many(inputs)
    inputs.clear()  # the randomness of each encryption: never kept
    return [
        ballot_request(
            election.address, district, None if state.encrypted else choice, revision, result
        )
        for (_, district, choice, revision), result in zip(plans, proved, strict=True)
    ]


def recorded_ballot_box(election: ElectionContract, nullifier: int) -> BallotBox:
    """In the recorded mode: this nullifier's records and verified single ballots, in chain
    order, each proof verified here and the revision rule applied (one sequence), as a recount
    would; an invalid record posted under the nullifier does not move the sequence on."""
    states = election.districts()
    rules = ElectionRules(
        election.calendar(),
        election.scope(),
        tuple(
            DistrictRules(s.option_count, s.merkle_root, s.member_count, s.minimum_members)
            for s in states
        ),
    )
    encrypted = election.ballot_secrecy() is BallotSecrecy.ENCRYPTED
    events: Sequence[Any] = (
        election.encrypted_ballot_events() if encrypted else election.ballot_events()
    )
    decode = decode_encrypted_records if encrypted else decode_records
    entries = [(e.block_number, e.log_index, 0, e, e.block_timestamp) for e in events]
    for batch in election.recorded_batches():
        for i, r in enumerate(decode(batch.records)):
            entries.append((batch.block_number, batch.log_index, i, r, batch.block_timestamp))
    check = _EncryptedCheck(rules, nullifier) if encrypted else None
    box = BallotBox(rules, check or load_check(verification_key_path()))
    for *_, item, at in sorted(entries, key=lambda e: e[:3]):
        if item.nullifier != nullifier:
            continue
        district = item.district
        root = states[district].merkle_root if district < len(states) else 0
        if check is not None:
            check.ballot = item
        choice = 0 if encrypted else item.choice
        box.cast(Ballot(nullifier, district, choice, item.revision, root, tuple(item.proof), at))
    return box


class _EncryptedCheck:
    """The proof check of an encrypted election's ballot box: the proof of the ballot being
    cast (`ballot`, an event or a record) verified against the encrypted circuit's 39 signals
    (its ciphertext, the message with choice 0, the district's options), as the recount does."""

    def __init__(self, rules: ElectionRules, nullifier: int) -> None:
        self.rules = rules
        self.nullifier = nullifier
        self.key = VerifyingKey.load(encrypted_zk_dir() / ZK_VERIFICATION_KEY)
        self.ballot: Any = None

    def __call__(self, packed: Sequence[int], _signals: Sequence[int]) -> bool:
        district = self.rules.districts[self.ballot.district]  # the rules checked it exists
        parsed = parse_packed(packed)
        signals = encrypted_public_signals(
            district.merkle_root,
            self.nullifier,
            ciphertext_words(self.ballot.ciphertext),
            self.ballot.revision,
            self.rules.scope,
            self.ballot.district,
            district.option_count,
        )
        return parsed is not None and verify(self.key, parsed, signals)


def recorded_revision(election: ElectionContract, nullifier: int) -> int:
    """The revision a recount counts for `nullifier` in the recorded mode (0: none)."""
    current = recorded_ballot_box(election, nullifier).current.get(nullifier)
    return current.revision if current is not None else 0


def send_ballot(client: httpx.Client, relayer_url: str, body: dict[str, Any]) -> dict[str, Any]:
    """Posts a ballot to a relayer; returns its acceptance (status `queued`) or raises
    `RelayerError`. Accepted means stored durably by the relayer, not yet on chain."""
    try:
        response = client.post(f"{relayer_url.rstrip('/')}/ballots", json=body, timeout=60)
    except httpx.HTTPError as exc:
        raise RelayerError("relayer_unreachable", f"cannot reach {relayer_url}") from exc
    payload = _json(response)
    if response.status_code != 202:
        raise RelayerError(
            str(payload.get("error", "http_error")),
            str(payload.get("detail", response.text[:200])),
            response.status_code,
        )
    return payload


def wait_for_inclusion(
    client: httpx.Client,
    relayer_url: str,
    acceptance: dict[str, Any],
    timeout: float = 120.0,
    poll: float = 0.2,
) -> dict[str, Any]:
    """Polls the relayer until the accepted ballot is in a block (returns the receipt) or has
    failed (raises `RelayerError` with the chain's reason)."""
    url = f"{relayer_url.rstrip('/')}/ballots/{acceptance['nullifier']}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = client.get(url, params={"election": acceptance["election"]}, timeout=30)
        except httpx.HTTPError as exc:
            raise RelayerError("relayer_unreachable", f"cannot reach {relayer_url}") from exc
        submission = _json(response).get("submission") or {}
        if submission.get("revision") == acceptance["revision"]:
            if submission.get("status") == "included":
                return {**acceptance, **submission}
            if submission.get("status") == "failed":
                raise RelayerError("failed_on_chain", str(submission.get("reason")))
        if time.monotonic() > deadline:
            raise RelayerError("timeout", f"ballot not included within {timeout:.0f} s")
        time.sleep(poll)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
