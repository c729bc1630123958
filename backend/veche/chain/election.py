"""A typed handle on one deployed Election contract: its views, transactions and event logs.

Districts are numbered from 0 in the order of the election definition. The on-chain phases
(`IElection.Phase`) map onto `veche.protocol.Phase` by the spec's `phases[].contract` numbers.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, cast

from eth_abi import decode as abi_decode
from eth_account.signers.local import LocalAccount
from eth_typing import ABIEvent, ChecksumAddress
from eth_utils import event_abi_to_log_topic, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import Web3RPCError
from web3.types import BlockIdentifier, LogReceipt, TxParams, TxReceipt

from veche.chain.artifacts import Artifact, load_artifact
from veche.chain.client import call_view, send, simulate_call
from veche.chain.transactions import Record
from veche.errors import ChainError, NotAnElection, VecheError
from veche.model.calendar import Calendar
from veche.protocol.phases import Phase
from veche.protocol.records import (
    BallotMode,
    BallotRecord,
    BallotSecrecy,
    EncryptedBallotRecord,
    ciphertext_bytes,
    ciphertext_words,
    encode_records,
)
from veche.protocol.spec import (
    CAST_BALLOT_GAS,
    CHALLENGE_BALLOT_GAS,
    CHALLENGE_BALLOT_PER_RECORD_GAS,
    MAX_RECORDS_PER_BATCH,
    RECORD_BALLOTS_BASE_GAS,
    RECORD_BALLOTS_PER_RECORD_GAS,
    RECORD_BYTES,
)

MAX_TRANSACTION_GAS = 16_777_216
"""EIP-7825's cap on one transaction's gas limit: a larger limit is refused by the node."""

CAST_BALLOTS_BASE_GAS = 400_000
CAST_BALLOTS_GAS_PER_BALLOT = 100_000
"""Gas sent with `castBallots`: base plus this per ballot (about 80,000 a ballot is used; the
batch's pairing check returns false when short of gas, so the limit is generous)."""

CAST_ENCRYPTED_BALLOT_GAS = 1_200_000
"""Gas sent with `castEncryptedBallot` (39 public signals: one scalar multiplication each)."""
MAX_ENCRYPTED_BALLOTS_PER_TRANSACTION = 112
"""The most encrypted ballots `cast_encrypted_ballots` sends at once: bench/gas.py measured about
136,700 gas a ballot past about 410,000 for the batch, so 128 (the contract's maximum) need
about 17.9 M gas, over EIP-7825's 16,777,216 a transaction; 112 leave a margin."""
CAST_ENCRYPTED_BALLOTS_BASE_GAS = 1_000_000
CAST_ENCRYPTED_BALLOTS_GAS_PER_BALLOT = 200_000
"""Gas sent with `castEncryptedBallots`: base plus this per ballot (each carries 1,088 bytes of
ciphertext into call data, the log and a hash; the storage of its hash)."""

DECRYPTION_GAS_BASE = 100_000
DECRYPTION_GAS_PER_BYTE = 40
"""Gas sent with `publishDecryption`: base plus this per byte of data (call data and log)."""

MEMBERS_PER_BATCH = 100
"""Commitments per `addMembers` transaction in `add_members_batched` (about 10.5 M gas)."""

TAG_BYTES = 32
"""A dedup tag is a `bytes32`."""

_ZERO_ADDRESS = "0x" + "00" * 20
_ZERO_HASH = bytes(32)


LOG_PAGE_BLOCKS = 10_000
"""Blocks per `eth_getLogs` request; halved on a node that refuses a range as too large."""


@dataclass(frozen=True)
class DistrictConfig:
    """What the deployer fixes for one district; its labels live in the definition file."""

    option_count: int
    """Options (lists) on the district's ballot, at least 1."""
    minimum_members: int
    """Voting never opens in the district while its register holds fewer members (>= 1)."""

    def as_tuple(self) -> tuple[int, int]:
        """The district as the contract's `DistrictConfig` struct."""
        return (self.option_count, self.minimum_members)


@dataclass(frozen=True)
class RegistrarGrant:
    """The right of one registrar to add up to `quota` members to one district's register."""

    registrar: str
    district: int
    quota: int

    def as_tuple(self) -> tuple[ChecksumAddress, int, int]:
        """The grant as the contract's `RegistrarGrant` struct."""
        return (to_checksum_address(self.registrar), self.district, self.quota)


def grants_everywhere(registrar: str, district_count: int, quota: int) -> list[RegistrarGrant]:
    """The same quota for `registrar` in every one of `district_count` districts."""
    return [RegistrarGrant(registrar, district, quota) for district in range(district_count)]


@dataclass(frozen=True)
class QuotaState:
    """One registrar's quota in one district, and how much of it is used (public on chain)."""

    quota: int
    used: int

    @property
    def remaining(self) -> int:
        """How many more members the registrar may add to the district."""
        return self.quota - self.used


@dataclass(frozen=True)
class RegistrarState:
    """Whether an account was ever authorised as a registrar, and whether it is suspended."""

    authorized: bool
    suspended: bool


class RelayerStatus(IntEnum):
    """A relayer account in a recorded-mode election (the contract's `RelayerStatus`)."""

    NONE = 0
    AUTHORIZED = 1
    SUSPENDED = 2


@dataclass(frozen=True)
class DistrictState:
    """One district as the contract holds it now."""

    option_count: int
    minimum_members: int
    member_count: int
    excluded: bool
    merkle_root: int
    """The register's root (0 while it is empty)."""

    @property
    def below_minimum(self) -> bool:
        """Whether voting stays closed in this district (too few members to stay anonymous)."""
        return self.member_count < self.minimum_members


@dataclass(frozen=True)
class Ballot:
    """The ballot currently counted for one nullifier; `revision == 0` means none."""

    district: int
    choice: int
    revision: int
    cast_at: int


@dataclass(frozen=True)
class BallotInput:
    """One ballot of a batch: the contract's `BallotInput` struct (the arguments of
    `castBallot`)."""

    district: int
    choice: int
    revision: int
    merkle_root: int
    nullifier: int
    proof: tuple[int, ...]

    def as_tuple(self) -> tuple[int, int, int, int, int, list[int]]:
        if len(self.proof) != 8:
            raise VecheError(f"a packed proof has 8 numbers, got {len(self.proof)}")
        return (
            self.district,
            self.choice,
            self.revision,
            self.merkle_root,
            self.nullifier,
            list(self.proof),
        )


def record_ballots_gas(count: int, record_bytes: int = RECORD_BYTES) -> int:
    """The gas limit sent with `recordBallots` for `count` records of `record_bytes` each (the
    spec's per-record figure is for plain records; it scales with their size)."""
    per_record = RECORD_BALLOTS_PER_RECORD_GAS * record_bytes // RECORD_BYTES
    return min(MAX_TRANSACTION_GAS, RECORD_BALLOTS_BASE_GAS + per_record * count)


def challenge_ballot_gas(count: int, record_bytes: int = RECORD_BYTES) -> int:
    """The gas limit sent with `challengeBallot` for a batch of `count` records of
    `record_bytes` each (an encrypted record's verification needs 400,000 more)."""
    per_record = CHALLENGE_BALLOT_PER_RECORD_GAS * record_bytes // RECORD_BYTES
    extra = 0 if record_bytes == RECORD_BYTES else 400_000
    return min(MAX_TRANSACTION_GAS, CHALLENGE_BALLOT_GAS + extra + per_record * count)


def cast_encrypted_ballots_gas(count: int) -> int:
    """The gas limit sent with a batch of `count` encrypted ballots (at most EIP-7825's cap)."""
    return min(
        MAX_TRANSACTION_GAS,
        CAST_ENCRYPTED_BALLOTS_BASE_GAS + CAST_ENCRYPTED_BALLOTS_GAS_PER_BALLOT * count,
    )


@dataclass(frozen=True)
class EncryptedBallotInput:
    """One encrypted ballot: the contract's `EncryptedBallotInput` struct."""

    district: int
    revision: int
    merkle_root: int
    nullifier: int
    proof: tuple[int, ...]
    ciphertext: bytes
    """`CIPHERTEXT_BYTES` bytes: `R.x | R.y | C_0.x | C_0.y | ... | C_15.y`."""

    def as_tuple(self) -> tuple[int, int, int, int, list[int], list[int]]:
        if len(self.proof) != 8:
            raise VecheError(f"a packed proof has 8 numbers, got {len(self.proof)}")
        return (
            self.district,
            self.revision,
            self.merkle_root,
            self.nullifier,
            list(self.proof),
            ciphertext_words(self.ciphertext),
        )


def cast_ballots_gas(count: int) -> int:
    """The gas limit sent with a batch of `count` ballots (never above EIP-7825's cap)."""
    return min(MAX_TRANSACTION_GAS, CAST_BALLOTS_BASE_GAS + CAST_BALLOTS_GAS_PER_BALLOT * count)


@dataclass(frozen=True)
class MemberAdded:
    """One `MemberAdded` log: a commitment appended to a district's register."""

    district: int
    index: int
    """Position in the district's register."""
    commitment: int
    tag: bytes
    """The person's dedup tag (32 bytes)."""
    merkle_root: int
    registrar: ChecksumAddress
    block_number: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class Person:
    """What the contract keeps under one dedup tag: where the person's leaf is."""

    registered: bool
    district: int
    index: int
    replacements: int
    """Times the person's commitment was replaced (the next approvals sign this number)."""


@dataclass(frozen=True)
class MemberReplaced:
    """One `MemberReplaced` log: a lost key's commitment replaced during registration."""

    district: int
    index: int
    old_commitment: int
    new_commitment: int
    tag: bytes
    merkle_root: int
    approvers: tuple[ChecksumAddress, ...]
    block_number: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class BallotCast:
    """One `BallotCast` log: an accepted ballot, with the proof to re-verify it."""

    nullifier: int
    district: int
    choice: int
    revision: int
    merkle_root: int
    proof: tuple[int, ...]
    block_number: int
    block_timestamp: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class EncryptedBallotCast:
    """One `EncryptedBallotCast` log: an accepted encrypted ballot, with its proof and
    ciphertext to re-verify it and to add it into the district's sums."""

    nullifier: int
    district: int
    revision: int
    merkle_root: int
    proof: tuple[int, ...]
    ciphertext: bytes
    block_number: int
    block_timestamp: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class DecryptionPublished:
    """One `DecryptionPublished` log: a trustee's partial decryptions of every district's sums
    (for each district, each option below its count: `D.x | D.y | c | s`, 128 bytes)."""

    trustee: int
    sender: ChecksumAddress
    data: bytes
    block_number: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class RecordedBatch:
    """One `BallotsRecorded` log: a batch of unverified ballot records (recorded mode)."""

    batch: bytes
    """`keccak256(relayer || records)`, the key a challenge presents."""
    relayer: ChecksumAddress
    records: bytes
    """The records' bytes as posted (`veche.protocol.decode_records` reads them)."""
    block_number: int
    block_timestamp: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class InvalidRecordMark:
    """One `RecordedBallotInvalid` log: a challenge proved a record's proof invalid."""

    batch: bytes
    index: int
    nullifier: int
    relayer: ChecksumAddress
    block_number: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class ExclusionChange:
    """One `DistrictExcluded` (`excluded=True`) or `DistrictRestored` (`excluded=False`) log."""

    district: int
    excluded: bool
    reason: str
    evidence_hash: bytes | None
    """The evidence's hash for an exclusion; None for a restoration."""
    block_number: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class ResultPublished:
    """The `ResultPublished` log: the hash of the final result record."""

    result_hash: bytes
    block_number: int
    tx_hash: HexBytes
    log_index: int


class ElectionContract:
    """One deployed Election; transactions are signed locally by the account passed in.

    With `check=True` (the default) the constructor refuses an address whose code is not this
    build's Election, so that a typo in an address is a clear error rather than empty results.
    """

    def __init__(
        self, w3: Web3, address: str, *, check: bool = True, artifact: Artifact | None = None
    ) -> None:
        self.w3 = w3
        self.artifact = artifact or load_artifact("Election")
        self.address: ChecksumAddress = to_checksum_address(address)
        self.contract: Contract = w3.eth.contract(address=self.address, abi=self.artifact.abi)
        self.block: BlockIdentifier = "latest"
        """The block every view reads (see `at`)."""
        self._max_batch: int | None = None
        if check:
            self.require_election()

    def at(self, block: int) -> "ElectionContract":
        """The same election with every view read at `block`: a recount pins one block, so
        that ballots arriving while it runs cannot make its reads disagree."""
        pinned = ElectionContract(self.w3, self.address, check=False, artifact=self.artifact)
        pinned.block = block
        return pinned

    def _view(self, function: ContractFunction) -> Any:
        return call_view(function, block_identifier=self.block)

    # --- identity of the contract ---------------------------------------------------------

    def code_is_election(self) -> bool:
        """Whether the address holds this build's Election runtime code.

        Compares the code byte for byte, except where solc writes immutables and the PoseidonT3
        library address at deployment.
        """
        code = bytes(self.w3.eth.get_code(self.address, self.block))
        placeholders = dict.fromkeys(self.artifact.library_names, _ZERO_ADDRESS)
        expected = bytes.fromhex(self.artifact.linked_deployed_bytecode(placeholders)[2:])
        if len(code) != len(expected):
            return False
        mask = _variable_ranges(self.artifact)
        return all(code[i] == expected[i] for i in range(len(code)) if not mask[i])

    def require_election(self) -> None:
        """Raises `NotAnElection` unless `code_is_election()`."""
        if not self.code_is_election():
            raise NotAnElection(f"{self.address} does not hold a Veche Election contract")

    # --- views -----------------------------------------------------------------------------

    def organizer(self) -> ChecksumAddress:
        """The organizer's address (it may be a multisig)."""
        return to_checksum_address(self._view(self.contract.functions.organizer()))

    def verifier(self) -> ChecksumAddress:
        """The Groth16 verifier's address."""
        return to_checksum_address(self._view(self.contract.functions.verifier()))

    def calendar(self) -> Calendar:
        """The election's calendar."""
        return Calendar(*self._view(self.contract.functions.calendar()))

    def phase(self) -> Phase:
        """The phase the contract enforces at the latest block's timestamp."""
        return Phase.of_contract(int(self._view(self.contract.functions.phase())))

    def definition_hash(self) -> bytes:
        """keccak256 of the canonical election definition (32 bytes)."""
        return bytes(self._view(self.contract.functions.definitionHash()))

    def district_count(self) -> int:
        """The number of districts, numbered from 0."""
        return int(self._view(self.contract.functions.districtCount()))

    def district(self, district: int) -> DistrictState:
        """`district`'s options, minimum, register and exclusion (`UnknownDistrict` if none)."""
        return DistrictState(*self._view(self.contract.functions.districtState(district)))

    def districts(self) -> list[DistrictState]:
        """Every district, in number order."""
        return [self.district(district) for district in range(self.district_count())]

    def merkle_root(self, district: int) -> int:
        """`district`'s register root (0 while empty)."""
        return int(self._view(self.contract.functions.merkleRoot(district)))

    def member_count(self, district: int) -> int:
        """The number of commitments in `district`'s register."""
        return int(self._view(self.contract.functions.memberCount(district)))

    def total_members(self) -> int:
        """The number of commitments in all registers."""
        return int(self._view(self.contract.functions.totalMembers()))

    def is_excluded(self, district: int) -> bool:
        """Whether `district`'s ballots are excluded on appeal."""
        return bool(self._view(self.contract.functions.isExcluded(district)))

    def scope(self) -> int:
        """The election scope `uint256(keccak256(abi.encode(chainId, address)))`."""
        return int(self._view(self.contract.functions.scope()))

    def scope_signal(self) -> int:
        """The circuit's public scope signal, `H(scope)`."""
        return int(self._view(self.contract.functions.scopeSignal()))

    def is_registrar(self, account: str) -> bool:
        """Whether `account` may add members now (authorised and not suspended)."""
        return bool(self._view(self.contract.functions.isRegistrar(to_checksum_address(account))))

    def registrar_state(self, registrar: str) -> RegistrarState:
        """Whether `registrar` was ever authorised, and whether it is suspended."""
        call = self.contract.functions.registrarState(to_checksum_address(registrar))
        return RegistrarState(*self._view(call))

    def registrar_quota(self, registrar: str, district: int) -> QuotaState:
        """`registrar`'s quota in `district` and how much of it is used."""
        call = self.contract.functions.registrarQuota(to_checksum_address(registrar), district)
        return QuotaState(*self._view(call))

    def tag_used(self, tag: bytes) -> bool:
        """Whether a person with dedup tag `tag` is registered already."""
        return bool(self._view(self.contract.functions.tagUsed(_bytes32(tag))))

    def person(self, tag: bytes) -> Person:
        """Where the person with dedup tag `tag` is registered (all zero if nowhere)."""
        return Person(*self._view(self.contract.functions.person(_bytes32(tag))))

    def recovery_approvals(self) -> int:
        """The registrars that must approve a replacement (0: no recovery)."""
        return int(self._view(self.contract.functions.recoveryApprovals()))

    def replacements_approved(self, registrar: str) -> int:
        """The replacements `registrar` approved."""
        call = self.contract.functions.replacementsApproved(to_checksum_address(registrar))
        return int(self._view(call))

    def replacement_digest(
        self, tag: bytes, old_commitment: int, new_commitment: int, replacements: int
    ) -> bytes:
        """The EIP-712 digest the contract checks an approval against (the contract's own
        computation: `veche.registrar.recovery` computes it offline and compares)."""
        call = self.contract.functions.replacementDigest(
            _bytes32(tag), old_commitment, new_commitment, replacements
        )
        return bytes(self._view(call))

    def ballot_of(self, nullifier: int) -> Ballot:
        """The ballot counted for `nullifier` (revision 0 if none)."""
        return Ballot(*self._view(self.contract.functions.ballotOf(nullifier)))

    def max_ballots_per_batch(self) -> int:
        """The most ballots `castBallots` takes in one transaction."""
        if self._max_batch is None:
            self._max_batch = int(call_view(self.contract.functions.MAX_BALLOTS_PER_BATCH()))
        return self._max_batch

    def ballot_mode(self) -> BallotMode:
        """How the election takes its ballots (fixed at deployment)."""
        return BallotMode.of_contract(int(self._view(self.contract.functions.ballotMode())))

    def relayer_status(self, relayer: str) -> RelayerStatus:
        """Whether `relayer` may post records (recorded mode): never authorised, authorised or
        suspended."""
        call = self.contract.functions.relayerStatus(to_checksum_address(relayer))
        return RelayerStatus(int(self._view(call)))

    def recorded_batch_block(self, batch: bytes) -> int:
        """The block in which batch `batch` was recorded (0 if never)."""
        return int(self._view(self.contract.functions.recordedBatchBlock(_bytes32(batch))))

    def is_record_invalid(self, batch: bytes, index: int) -> bool:
        """Whether a challenge proved record `index` of `batch` invalid."""
        return bool(self._view(self.contract.functions.isRecordInvalid(_bytes32(batch), index)))

    def ballot_secrecy(self) -> BallotSecrecy:
        """Whether ballots carry their choice or a ciphertext (fixed at deployment)."""
        return BallotSecrecy.of_contract(int(self._view(self.contract.functions.ballotSecrecy())))

    def election_key_hash(self) -> bytes | None:
        """keccak256 of the election key's 16 option keys; None in a plain election."""
        recorded = bytes(self._view(self.contract.functions.electionKeyHash()))
        return None if recorded == _ZERO_HASH else recorded

    def ciphertext_hash_of(self, nullifier: int) -> bytes | None:
        """keccak256 of the ciphertext of the encrypted ballot stored for `nullifier` (verified
        mode), or None if it has none."""
        stored = bytes(self._view(self.contract.functions.ciphertextHashOf(nullifier)))
        return None if stored == _ZERO_HASH else stored

    def decryption_bytes(self) -> int:
        """The length `publishDecryption` takes: 128 bytes per option of every district."""
        return int(self._view(self.contract.functions.decryptionBytes()))

    def record_bytes(self) -> int:
        """The size of one of this election's records (297 plain, 1381 encrypted)."""
        return int(self._view(self.contract.functions.recordBytes()))

    def ballot_count(self) -> int:
        """The number of distinct nullifiers that voted."""
        return int(self._view(self.contract.functions.ballotCount()))

    def result_hash(self) -> bytes | None:
        """The published result hash, or None while none is published."""
        published = bytes(self._view(self.contract.functions.resultHash()))
        return None if published == _ZERO_HASH else published

    # --- transactions ----------------------------------------------------------------------

    def authorize_registrar(
        self, organizer: LocalAccount, registrar: str, quotas: Mapping[int, int]
    ) -> TxReceipt:
        """Sets `registrar`'s quota in each district of `quotas` (district -> quota), authorising
        it if needed (organizer only, before registration ends)."""
        districts = list(quotas)
        call = self.contract.functions.authorizeRegistrar(
            to_checksum_address(registrar), districts, [quotas[d] for d in districts]
        )
        return send(self.w3, organizer, call)

    def suspend_registrar(self, organizer: LocalAccount, registrar: str, reason: str) -> TxReceipt:
        """Stops `registrar` from adding members until reinstated (organizer only)."""
        call = self.contract.functions.suspendRegistrar(to_checksum_address(registrar), reason)
        return send(self.w3, organizer, call)

    def reinstate_registrar(
        self, organizer: LocalAccount, registrar: str, reason: str
    ) -> TxReceipt:
        """Lifts `registrar`'s suspension (organizer only)."""
        call = self.contract.functions.reinstateRegistrar(to_checksum_address(registrar), reason)
        return send(self.w3, organizer, call)

    def add_members(
        self,
        registrar: LocalAccount,
        district: int,
        commitments: Sequence[int],
        tags: Sequence[bytes],
        *,
        gas: int | None = None,
        record: Record | None = None,
    ) -> TxReceipt:
        """Appends `commitments` to `district`'s register in one transaction (one batch), each
        with its person's dedup tag (`tags[i]` for `commitments[i]`); `record` receives the
        signed transaction before it is broadcast (the registrar's batch file keeps it)."""
        call = self.contract.functions.addMembers(
            district, list(commitments), [_bytes32(tag) for tag in tags]
        )
        return send(self.w3, registrar, call, gas=gas, record=record)

    def add_members_batched(
        self,
        registrar: LocalAccount,
        district: int,
        commitments: Sequence[int],
        tags: Sequence[bytes],
        *,
        batch_size: int = MEMBERS_PER_BATCH,
    ) -> list[TxReceipt]:
        """Appends `commitments` (with their `tags`) to `district` in order, `batch_size` per
        transaction; one receipt per batch."""
        if batch_size < 1:
            raise VecheError(f"batch_size must be at least 1, got {batch_size}")
        if len(tags) != len(commitments):
            raise VecheError(f"{len(commitments)} commitments but {len(tags)} tags")
        return [
            self.add_members(
                registrar,
                district,
                commitments[start : start + batch_size],
                tags[start : start + batch_size],
            )
            for start in range(0, len(commitments), batch_size)
        ]

    def replace_member(
        self,
        sender: LocalAccount,
        tag: bytes,
        old_commitment: int,
        new_commitment: int,
        siblings: Sequence[int],
        approvals: Sequence[bytes],
    ) -> TxReceipt:
        """Replaces the commitment of the person under `tag` (a lost key), with the registrars'
        `approvals` (65-byte signatures, in increasing signer order) and the leaf's path."""
        call = self.contract.functions.replaceMember(
            _bytes32(tag), old_commitment, new_commitment, list(siblings), list(approvals)
        )
        return send(self.w3, sender, call)

    def cast_ballot(
        self,
        sender: LocalAccount,
        district: int,
        merkle_root: int,
        nullifier: int,
        choice: int,
        revision: int,
        proof: Sequence[int],
        *,
        gas: int = CAST_BALLOT_GAS,  # never estimated: a verifier short of gas returns false
        simulate: bool = True,
    ) -> TxReceipt:
        """Submits a ballot in `district`; raises `ContractRevert` (e.g. `StaleRevision`) if
        it is refused.

        The ballot is first simulated with `eth_call`, so that a refused ballot costs nothing.
        """
        if len(proof) != 8:
            raise VecheError(f"a packed proof has 8 numbers, got {len(proof)}")
        call = self.contract.functions.castBallot(
            district, merkle_root, nullifier, choice, revision, list(proof)
        )
        return send(self.w3, sender, call, gas=gas, simulate=simulate)

    def cast_ballots(
        self,
        sender: LocalAccount,
        ballots: Sequence[BallotInput],
        *,
        gas: int | None = None,
        simulate: bool = True,
    ) -> TxReceipt:
        """Submits `ballots` in one transaction, their proofs checked together; raises
        `ContractRevert` (e.g. `InvalidProofInBatch(index, nullifier)`) if the batch is refused.

        A ballot whose nullifier already has its revision is skipped (`BallotSkipped`), not
        refused. The batch is first simulated with `eth_call`, so a refused batch costs nothing.
        """
        self._require_batch_size(len(ballots))
        call = self.contract.functions.castBallots([ballot.as_tuple() for ballot in ballots])
        limit = cast_ballots_gas(len(ballots)) if gas is None else gas
        return self._send_batch(sender, call, limit, simulate)

    def _require_batch_size(self, count: int) -> None:
        if not 1 <= count <= self.max_ballots_per_batch():
            raise VecheError(
                f"a batch holds 1 to {self.max_ballots_per_batch()} ballots, got {count}"
            )

    def _send_batch(
        self, sender: LocalAccount, call: ContractFunction, gas: int, simulate: bool
    ) -> TxReceipt:
        """Sends a batch with `gas`, after (if `simulate`) an `eth_call` with the most gas a
        transaction may have, to learn which proof is bad at no cost."""
        if simulate:
            transaction = {
                "from": sender.address,
                "to": self.address,
                "data": call._encode_transaction_data(),
                "gas": MAX_TRANSACTION_GAS,
            }
            simulate_call(self.w3, cast(TxParams, transaction), self.artifact.abi)
        return send(self.w3, sender, call, gas=gas, simulate=False)

    def cast_encrypted_ballot(
        self,
        sender: LocalAccount,
        ballot: EncryptedBallotInput,
        *,
        gas: int = CAST_ENCRYPTED_BALLOT_GAS,  # never estimated: see cast_ballot
        simulate: bool = True,
    ) -> TxReceipt:
        """Submits one encrypted ballot; raises `ContractRevert` (e.g. `InvalidProof`) if it is
        refused, after an `eth_call` that costs nothing if it is."""
        call = self.contract.functions.castEncryptedBallot(ballot.as_tuple())
        return send(self.w3, sender, call, gas=gas, simulate=simulate)

    def cast_encrypted_ballots(
        self,
        sender: LocalAccount,
        ballots: Sequence[EncryptedBallotInput],
        *,
        gas: int | None = None,
        simulate: bool = True,
    ) -> TxReceipt:
        """Submits encrypted `ballots` in one transaction, their proofs checked together, as
        `cast_ballots` does for plain ones."""
        self._require_batch_size(len(ballots))
        if len(ballots) > MAX_ENCRYPTED_BALLOTS_PER_TRANSACTION:
            raise VecheError(
                f"{len(ballots)} encrypted ballots need more gas than one transaction may have: "
                f"send at most {MAX_ENCRYPTED_BALLOTS_PER_TRANSACTION} a batch"
            )
        call = self.contract.functions.castEncryptedBallots([b.as_tuple() for b in ballots])
        limit = cast_encrypted_ballots_gas(len(ballots)) if gas is None else gas
        return self._send_batch(sender, call, limit, simulate)

    def publish_decryption(
        self, sender: LocalAccount, trustee: int, data: bytes, *, gas: int | None = None
    ) -> TxReceipt:
        """Publishes trustee `trustee`'s partial decryptions (encrypted elections, from the end
        of voting until the result; anyone may send them: their DLEQ proofs are the authority)."""
        call = self.contract.functions.publishDecryption(trustee, bytes(data))
        limit = DECRYPTION_GAS_BASE + DECRYPTION_GAS_PER_BYTE * len(data) if gas is None else gas
        return send(self.w3, sender, call, gas=limit)

    def authorize_relayer(self, organizer: LocalAccount, relayer: str) -> TxReceipt:
        """Lets `relayer` post records (recorded mode; organizer only, before voting ends)."""
        call = self.contract.functions.authorizeRelayer(to_checksum_address(relayer))
        return send(self.w3, organizer, call)

    def suspend_relayer(self, organizer: LocalAccount, relayer: str, reason: str) -> TxReceipt:
        """Stops `relayer` posting records, for good (organizer only, before voting ends)."""
        call = self.contract.functions.suspendRelayer(to_checksum_address(relayer), reason)
        return send(self.w3, organizer, call)

    def record_ballots(
        self,
        relayer: LocalAccount,
        records: Sequence[BallotRecord] | Sequence[EncryptedBallotRecord],
        *,
        gas: int | None = None,
        simulate: bool = True,
    ) -> TxReceipt:
        """Posts `records` as one batch (recorded mode; authorised relayer accounts only), after
        an `eth_call` that costs nothing if the contract refuses them."""
        if not 1 <= len(records) <= MAX_RECORDS_PER_BATCH:
            raise VecheError(
                f"a batch holds 1 to {MAX_RECORDS_PER_BATCH} records, got {len(records)}"
            )
        data = encode_records(records)
        limit = record_ballots_gas(len(records), len(data) // len(records)) if gas is None else gas
        call = self.contract.functions.recordBallots(data)
        return send(self.w3, relayer, call, gas=limit, simulate=simulate)

    def challenge_ballot(
        self,
        sender: LocalAccount,
        batch: "RecordedBatch",
        index: int,
        *,
        gas: int | None = None,
    ) -> TxReceipt:
        """Has record `index` of `batch` verified on chain: if its proof is invalid it is marked
        and its relayer suspended; if it is valid, `ContractRevert` `RecordedBallotValid`."""
        call = self.contract.functions.challengeBallot(batch.relayer, batch.records, index)
        size = self.record_bytes()
        limit = challenge_ballot_gas(len(batch.records) // size, size) if gas is None else gas
        return send(self.w3, sender, call, gas=limit)

    def exclude_district(
        self, organizer: LocalAccount, district: int, reason: str, evidence_hash: bytes
    ) -> TxReceipt:
        """Excludes `district`'s ballots (organizer only, during appeals)."""
        call = self.contract.functions.excludeDistrict(district, reason, _bytes32(evidence_hash))
        return send(self.w3, organizer, call)

    def restore_district(self, organizer: LocalAccount, district: int, reason: str) -> TxReceipt:
        """Undoes `district`'s exclusion (organizer only, during appeals)."""
        call = self.contract.functions.restoreDistrict(district, reason)
        return send(self.w3, organizer, call)

    def publish_result(self, organizer: LocalAccount, result_hash: bytes) -> TxReceipt:
        """Publishes the result record's hash (organizer only, once appeals are over, once)."""
        call = self.contract.functions.publishResult(_bytes32(result_hash))
        return send(self.w3, organizer, call)

    # --- events ----------------------------------------------------------------------------

    def member_events(
        self, from_block: int = 0, to_block: int | None = None, *, district: int | None = None
    ) -> list[MemberAdded]:
        """Every `MemberAdded` log in the block range (of one district if given), in chain
        order."""
        logs = self._logs(("MemberAdded",), from_block, to_block, _district_topic(district))
        return [_member_added(log) for log in logs]

    def replacement_events(
        self, from_block: int = 0, to_block: int | None = None, *, district: int | None = None
    ) -> list[MemberReplaced]:
        """Every `MemberReplaced` log in the block range (of one district if given), in chain
        order."""
        logs = self._logs(("MemberReplaced",), from_block, to_block, _district_topic(district))
        return [_member_replaced(log) for log in logs]

    def ballot_events(
        self, from_block: int = 0, to_block: int | None = None, *, district: int | None = None
    ) -> list[BallotCast]:
        """Every `BallotCast` log in the block range (of one district if given), in chain
        order."""
        logs = list(
            self._logs(("BallotCast",), from_block, to_block, None, _district_topic(district))
        )
        timestamps = self._timestamps(logs)
        return [_ballot_cast(log, timestamps[log["blockNumber"]]) for log in logs]

    def encrypted_ballot_events(
        self, from_block: int = 0, to_block: int | None = None, *, district: int | None = None
    ) -> list[EncryptedBallotCast]:
        """Every `EncryptedBallotCast` log in the block range (of one district if given), in
        chain order."""
        logs = list(
            self._logs(
                ("EncryptedBallotCast",), from_block, to_block, None, _district_topic(district)
            )
        )
        timestamps = self._timestamps(logs)
        return [_encrypted_ballot_cast(log, timestamps[log["blockNumber"]]) for log in logs]

    def decryptions(
        self, from_block: int = 0, to_block: int | None = None
    ) -> list[DecryptionPublished]:
        """Every `DecryptionPublished` log, in chain order (a trustee may appear more than once:
        the recount keeps the ones whose proofs verify)."""
        return [
            DecryptionPublished(
                trustee=int.from_bytes(log["topics"][1], "big"),
                sender=to_checksum_address(bytes(log["topics"][2])[12:]),
                data=bytes(abi_decode(["bytes"], bytes(log["data"]))[0]),
                block_number=log["blockNumber"],
                tx_hash=HexBytes(log["transactionHash"]),
                log_index=log["logIndex"],
            )
            for log in self._logs(("DecryptionPublished",), from_block, to_block)
        ]

    def recorded_batches(
        self, from_block: int = 0, to_block: int | None = None
    ) -> list[RecordedBatch]:
        """Every `BallotsRecorded` log in the block range, in chain order."""
        logs = list(self._logs(("BallotsRecorded",), from_block, to_block))
        timestamps = self._timestamps(logs)
        return [
            RecordedBatch(
                batch=bytes(log["topics"][1]),
                relayer=to_checksum_address(bytes(log["topics"][2])[12:]),
                records=bytes(abi_decode(["bytes"], bytes(log["data"]))[0]),
                block_number=log["blockNumber"],
                block_timestamp=timestamps[log["blockNumber"]],
                tx_hash=HexBytes(log["transactionHash"]),
                log_index=log["logIndex"],
            )
            for log in logs
        ]

    def invalid_record_events(
        self, from_block: int = 0, to_block: int | None = None
    ) -> list[InvalidRecordMark]:
        """Every record a challenge proved invalid, in chain order."""
        return [
            InvalidRecordMark(
                batch=bytes(log["topics"][1]),
                index=int.from_bytes(bytes(log["data"])[:32], "big"),
                nullifier=int.from_bytes(log["topics"][2], "big"),
                relayer=to_checksum_address(bytes(log["topics"][3])[12:]),
                block_number=log["blockNumber"],
                tx_hash=HexBytes(log["transactionHash"]),
                log_index=log["logIndex"],
            )
            for log in self._logs(("RecordedBallotInvalid",), from_block, to_block)
        ]

    def exclusion_events(
        self, from_block: int = 0, to_block: int | None = None
    ) -> list[ExclusionChange]:
        """Every exclusion and restoration, in chain order: replaying them gives the final
        set of excluded districts, and shows what every appeal changed."""
        logs = self._logs(("DistrictExcluded", "DistrictRestored"), from_block, to_block)
        return [self._exclusion_change(log) for log in logs]

    def result_events(
        self, from_block: int = 0, to_block: int | None = None
    ) -> list[ResultPublished]:
        """The `ResultPublished` log (at most one: the contract accepts the result once)."""
        return [
            ResultPublished(
                result_hash=bytes(log["data"]),
                block_number=log["blockNumber"],
                tx_hash=HexBytes(log["transactionHash"]),
                log_index=log["logIndex"],
            )
            for log in self._logs(("ResultPublished",), from_block, to_block)
        ]

    def _exclusion_change(self, log: LogReceipt) -> ExclusionChange:
        excluded = HexBytes(log["topics"][0]) == self._topic("DistrictExcluded")
        if excluded:
            reason, evidence = abi_decode(["string", "bytes32"], bytes(log["data"]))
        else:
            (reason,), evidence = abi_decode(["string"], bytes(log["data"])), None
        return ExclusionChange(
            district=int.from_bytes(log["topics"][1], "big"),
            excluded=excluded,
            reason=str(reason),
            evidence_hash=None if evidence is None else bytes(evidence),
            block_number=log["blockNumber"],
            tx_hash=HexBytes(log["transactionHash"]),
            log_index=log["logIndex"],
        )

    def _logs(
        self,
        events: Sequence[str],
        from_block: int,
        to_block: int | None,
        *extra_topics: HexBytes | None,
    ) -> Iterator[LogReceipt]:
        """Pages through `eth_getLogs` for any of `events` (with `extra_topics` as the indexed
        arguments to match, None matching anything), halving the page when the node refuses a
        range."""
        topics: list[Any] = [[self._topic(event) for event in events], *extra_topics]
        while topics and topics[-1] is None:
            topics.pop()
        last = self.w3.eth.block_number if to_block is None else to_block
        start, page = from_block, LOG_PAGE_BLOCKS
        while start <= last:
            end = min(start + page - 1, last)
            try:
                logs = self.w3.eth.get_logs(
                    {"address": self.address, "topics": topics, "fromBlock": start, "toBlock": end}
                )
            except Web3RPCError as error:
                if page == 1:
                    raise ChainError(f"eth_getLogs failed at block {start}: {error}") from None
                page //= 2
                continue
            yield from sorted(logs, key=lambda log: (log["blockNumber"], log["logIndex"]))
            start = end + 1

    def _timestamps(self, logs: Sequence[LogReceipt]) -> dict[int, int]:
        """The timestamp of every block that holds one of `logs`."""
        timestamps: dict[int, int] = {}
        for log in logs:
            number = log["blockNumber"]
            if number not in timestamps:
                timestamps[number] = int(self.w3.eth.get_block(number)["timestamp"])
        return timestamps

    def _topic(self, name: str) -> HexBytes:
        for entry in self.artifact.abi:
            if entry.get("type") == "event" and entry["name"] == name:
                return HexBytes(event_abi_to_log_topic(cast(ABIEvent, entry)))
        raise ChainError(f"the Election ABI has no event {name}")


def _bytes32(value: bytes) -> bytes:
    if len(value) != 32:
        raise VecheError(f"a hash must be 32 bytes, got {len(value)}")
    return bytes(value)


def _district_topic(district: int | None) -> HexBytes | None:
    return None if district is None else HexBytes(district.to_bytes(32, "big"))


def _words(data: bytes) -> list[int]:
    return [int.from_bytes(data[i : i + 32], "big") for i in range(0, len(data), 32)]


def _member_added(log: LogReceipt) -> MemberAdded:
    """Decodes `MemberAdded(uint32 indexed district, uint256 indexed index, uint256 commitment,
    bytes32 tag, uint256 merkleRoot, address indexed registrar)` by hand: a million of them go
    through here in a recount."""
    data = bytes(log["data"])
    return MemberAdded(
        district=int.from_bytes(log["topics"][1], "big"),
        index=int.from_bytes(log["topics"][2], "big"),
        commitment=int.from_bytes(data[0:32], "big"),
        tag=data[32:64],
        merkle_root=int.from_bytes(data[64:96], "big"),
        registrar=to_checksum_address(bytes(log["topics"][3])[12:]),
        block_number=log["blockNumber"],
        tx_hash=HexBytes(log["transactionHash"]),
        log_index=log["logIndex"],
    )


def _member_replaced(log: LogReceipt) -> MemberReplaced:
    """Decodes `MemberReplaced(uint32 indexed district, uint256 indexed index, uint256
    oldCommitment, uint256 newCommitment, bytes32 tag, uint256 merkleRoot, address[]
    approvers)`."""
    old, new, tag, root, approvers = abi_decode(
        ["uint256", "uint256", "bytes32", "uint256", "address[]"], bytes(log["data"])
    )
    return MemberReplaced(
        district=int.from_bytes(log["topics"][1], "big"),
        index=int.from_bytes(log["topics"][2], "big"),
        old_commitment=old,
        new_commitment=new,
        tag=bytes(tag),
        merkle_root=root,
        approvers=tuple(to_checksum_address(a) for a in approvers),
        block_number=log["blockNumber"],
        tx_hash=HexBytes(log["transactionHash"]),
        log_index=log["logIndex"],
    )


def _ballot_cast(log: LogReceipt, block_timestamp: int) -> BallotCast:
    """Decodes `BallotCast(uint256 indexed nullifier, uint32 indexed district, uint32 choice,
    uint32 revision, uint256 merkleRoot, uint256[8] proof)` by hand (all static: 11 words of
    data)."""
    words = _words(bytes(log["data"]))
    return BallotCast(
        nullifier=int.from_bytes(log["topics"][1], "big"),
        district=int.from_bytes(log["topics"][2], "big"),
        choice=words[0],
        revision=words[1],
        merkle_root=words[2],
        proof=tuple(words[3:11]),
        block_number=log["blockNumber"],
        block_timestamp=block_timestamp,
        tx_hash=HexBytes(log["transactionHash"]),
        log_index=log["logIndex"],
    )


def _encrypted_ballot_cast(log: LogReceipt, block_timestamp: int) -> EncryptedBallotCast:
    """Decodes `EncryptedBallotCast(uint256 indexed nullifier, uint32 indexed district, uint32
    revision, uint256 merkleRoot, uint256[8] proof, uint256[34] ciphertext)` by hand (all
    static: 44 words of data)."""
    data = bytes(log["data"])
    words = _words(data[:320])
    return EncryptedBallotCast(
        nullifier=int.from_bytes(log["topics"][1], "big"),
        district=int.from_bytes(log["topics"][2], "big"),
        revision=words[0],
        merkle_root=words[1],
        proof=tuple(words[2:10]),
        ciphertext=ciphertext_bytes(_words(data[320:])),
        block_number=log["blockNumber"],
        block_timestamp=block_timestamp,
        tx_hash=HexBytes(log["transactionHash"]),
        log_index=log["logIndex"],
    )


def _variable_ranges(artifact: Artifact) -> list[bool]:
    """A per-byte mask of the runtime code that deployment fills in (immutables, libraries)."""
    size = (len(artifact.deployed_bytecode) - 2) // 2
    mask = [False] * size
    references = [
        place
        for by_name in artifact.deployed_link_references.values()
        for places in by_name.values()
        for place in places
    ]
    references += [
        place for places in artifact.deployed_immutable_references.values() for place in places
    ]
    for place in references:
        for i in range(place["start"], place["start"] + place["length"]):
            mask[i] = True
    return mask
