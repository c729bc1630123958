"""A typed handle on one deployed Election contract: its views, transactions and event logs."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from eth_account.signers.local import LocalAccount
from eth_typing import ABIEvent, ChecksumAddress
from eth_utils import event_abi_to_log_topic, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import Web3RPCError
from web3.types import LogReceipt, TxReceipt

from veche.chain.artifacts import Artifact, load_artifact
from veche.chain.client import send
from veche.errors import ChainError, NotAnElection, VecheError
from veche.model.calendar import Calendar

CAST_BALLOT_GAS = 500_000
"""Gas sent with a ballot. About 300,000 is used; a snarkjs verifier short of gas returns
false, so the limit is generous and never estimated."""

MEMBERS_PER_BATCH = 100
"""Commitments per `addMembers` transaction in `add_members_batched` (about 4.6 M gas)."""

_ZERO_ADDRESS = "0x" + "00" * 20

LOG_PAGE_BLOCKS = 10_000
"""Blocks per `eth_getLogs` request; halved on a node that refuses a range as too large."""


@dataclass(frozen=True)
class Ballot:
    """The ballot currently counted for one nullifier; `revision == 0` means none."""

    choice: int
    revision: int
    cast_at: int


@dataclass(frozen=True)
class MemberAdded:
    """One `MemberAdded` log: a commitment appended to the register."""

    index: int
    commitment: int
    merkle_root: int
    registrar: ChecksumAddress
    block_number: int
    tx_hash: HexBytes
    log_index: int


@dataclass(frozen=True)
class BallotCast:
    """One `BallotCast` log: an accepted ballot, with the proof to re-verify it."""

    nullifier: int
    choice: int
    revision: int
    merkle_root: int
    proof: tuple[int, ...]
    block_number: int
    block_timestamp: int
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
        if check:
            self.require_election()

    # --- identity of the contract ---------------------------------------------------------

    def code_is_election(self) -> bool:
        """Whether the address holds this build's Election runtime code.

        Compares the code byte for byte, except where solc writes immutables and the PoseidonT3
        library address at deployment.
        """
        code = bytes(self.w3.eth.get_code(self.address))
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
        """The organizer's address."""
        return to_checksum_address(self.contract.functions.organizer().call())

    def verifier(self) -> ChecksumAddress:
        """The Groth16 verifier's address."""
        return to_checksum_address(self.contract.functions.verifier().call())

    def calendar(self) -> Calendar:
        """The election's calendar."""
        return Calendar(*self.contract.functions.calendar().call())

    def options(self) -> list[str]:
        """The options' labels, in choice order."""
        return list(self.contract.functions.options().call())

    def option_count(self) -> int:
        """The number of options."""
        return int(self.contract.functions.optionCount().call())

    def scope(self) -> int:
        """The election scope `uint256(keccak256(abi.encode(chainId, address)))`."""
        return int(self.contract.functions.scope().call())

    def scope_signal(self) -> int:
        """The circuit's public scope signal, `H(scope)`."""
        return int(self.contract.functions.scopeSignal().call())

    def merkle_root(self) -> int:
        """The register's current root (0 while empty)."""
        return int(self.contract.functions.merkleRoot().call())

    def member_count(self) -> int:
        """The number of registered commitments."""
        return int(self.contract.functions.memberCount().call())

    def is_registrar(self, account: str) -> bool:
        """Whether `account` may add members."""
        return bool(self.contract.functions.isRegistrar(to_checksum_address(account)).call())

    def ballot_of(self, nullifier: int) -> Ballot:
        """The ballot counted for `nullifier` (revision 0 if none)."""
        return Ballot(*self.contract.functions.ballotOf(nullifier).call())

    def ballot_count(self) -> int:
        """The number of distinct nullifiers that voted."""
        return int(self.contract.functions.ballotCount().call())

    # --- transactions ----------------------------------------------------------------------

    def authorize_registrar(self, organizer: LocalAccount, registrar: str) -> TxReceipt:
        """Lets `registrar` add members (organizer only, before registration ends)."""
        call = self.contract.functions.authorizeRegistrar(to_checksum_address(registrar))
        return send(self.w3, organizer, call)

    def revoke_registrar(self, organizer: LocalAccount, registrar: str) -> TxReceipt:
        """Stops `registrar` from adding members (organizer only, before registration ends)."""
        call = self.contract.functions.revokeRegistrar(to_checksum_address(registrar))
        return send(self.w3, organizer, call)

    def add_members(
        self, registrar: LocalAccount, commitments: Sequence[int], *, gas: int | None = None
    ) -> TxReceipt:
        """Appends `commitments` to the register in one transaction (one batch)."""
        call = self.contract.functions.addMembers(list(commitments))
        return send(self.w3, registrar, call, gas=gas)

    def add_members_batched(
        self,
        registrar: LocalAccount,
        commitments: Sequence[int],
        *,
        batch_size: int = MEMBERS_PER_BATCH,
    ) -> list[TxReceipt]:
        """Appends `commitments` in order, `batch_size` per transaction; one receipt per batch."""
        if batch_size < 1:
            raise VecheError(f"batch_size must be at least 1, got {batch_size}")
        return [
            self.add_members(registrar, commitments[start : start + batch_size])
            for start in range(0, len(commitments), batch_size)
        ]

    def cast_ballot(
        self,
        sender: LocalAccount,
        merkle_root: int,
        nullifier: int,
        choice: int,
        revision: int,
        proof: Sequence[int],
        *,
        gas: int = CAST_BALLOT_GAS,
        simulate: bool = True,
    ) -> TxReceipt:
        """Submits a ballot; raises `ContractRevert` (e.g. `StaleRevision`) if it is refused.

        The ballot is first simulated with `eth_call`, so that a refused ballot costs nothing.
        """
        if len(proof) != 8:
            raise VecheError(f"a packed proof has 8 numbers, got {len(proof)}")
        call = self.contract.functions.castBallot(
            merkle_root, nullifier, choice, revision, list(proof)
        )
        return send(self.w3, sender, call, gas=gas, simulate=simulate)

    # --- events ----------------------------------------------------------------------------

    def member_events(self, from_block: int = 0, to_block: int | None = None) -> list[MemberAdded]:
        """Every `MemberAdded` log in the block range, in chain order."""
        return [_member_added(log) for log in self._logs("MemberAdded", from_block, to_block)]

    def ballot_events(self, from_block: int = 0, to_block: int | None = None) -> list[BallotCast]:
        """Every `BallotCast` log in the block range, in chain order."""
        logs = list(self._logs("BallotCast", from_block, to_block))
        timestamps: dict[int, int] = {}
        for log in logs:
            number = log["blockNumber"]
            if number not in timestamps:
                timestamps[number] = int(self.w3.eth.get_block(number)["timestamp"])
        return [_ballot_cast(log, timestamps[log["blockNumber"]]) for log in logs]

    def _logs(self, event: str, from_block: int, to_block: int | None) -> Iterator[LogReceipt]:
        """Pages through `eth_getLogs`, halving the page when the node refuses a range."""
        topic = HexBytes(event_abi_to_log_topic(cast(ABIEvent, self._event_abi(event))))
        last = self.w3.eth.block_number if to_block is None else to_block
        start, page = from_block, LOG_PAGE_BLOCKS
        while start <= last:
            end = min(start + page - 1, last)
            try:
                logs = self.w3.eth.get_logs(
                    {
                        "address": self.address,
                        "topics": [topic],
                        "fromBlock": start,
                        "toBlock": end,
                    }
                )
            except Web3RPCError as error:
                if page == 1:
                    raise ChainError(f"eth_getLogs failed at block {start}: {error}") from None
                page //= 2
                continue
            yield from sorted(logs, key=lambda log: (log["blockNumber"], log["logIndex"]))
            start = end + 1

    def _event_abi(self, name: str) -> dict[str, Any]:
        for entry in self.artifact.abi:
            if entry.get("type") == "event" and entry["name"] == name:
                return entry
        raise ChainError(f"the Election ABI has no event {name}")


def _words(data: bytes) -> list[int]:
    return [int.from_bytes(data[i : i + 32], "big") for i in range(0, len(data), 32)]


def _member_added(log: LogReceipt) -> MemberAdded:
    """Decodes `MemberAdded(uint256 indexed index, uint256 commitment, uint256 merkleRoot,
    address indexed registrar)` by hand: a million of them go through here in a recount."""
    commitment, merkle_root = _words(bytes(log["data"]))
    return MemberAdded(
        index=int.from_bytes(log["topics"][1], "big"),
        commitment=commitment,
        merkle_root=merkle_root,
        registrar=to_checksum_address(bytes(log["topics"][2])[12:]),
        block_number=log["blockNumber"],
        tx_hash=HexBytes(log["transactionHash"]),
        log_index=log["logIndex"],
    )


def _ballot_cast(log: LogReceipt, block_timestamp: int) -> BallotCast:
    """Decodes `BallotCast(uint256 indexed nullifier, uint32 choice, uint32 revision,
    uint256 merkleRoot, uint256[8] proof)` by hand (all static: 11 words of data)."""
    words = _words(bytes(log["data"]))
    return BallotCast(
        nullifier=int.from_bytes(log["topics"][1], "big"),
        choice=words[0],
        revision=words[1],
        merkle_root=words[2],
        proof=tuple(words[3:11]),
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
