"""Everything an election logged, read once from its deployment block to a pinned block, decoded
by hand, and savable as a checkpoint to resume from.

One `eth_getLogs` stream covers every event the recount replays (one scan, not one per event),
and block timestamps come in batched header requests, once per block. A `Scan` grows: a later
`extend` reads only the blocks after the last one read, which is how `--checkpoint` and
`--follow` work.
"""

import gzip
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak

from veche.chain.rpc import RawLog, Rpc
from veche.crypto.elgamal import CIPHERTEXT_BYTES
from veche.errors import VecheError
from veche.protocol.records import decode_records

CHECKPOINT_FORMAT = "veche-recount-checkpoint/1"

_SIGNATURES = {
    "MemberAdded": "MemberAdded(uint32,uint256,uint256,bytes32,uint256,address)",
    "MemberReplaced": "MemberReplaced(uint32,uint256,uint256,uint256,bytes32,uint256,address[])",
    "BallotCast": "BallotCast(uint256,uint32,uint32,uint32,uint256,uint256[8])",
    "RegistrarAuthorized": "RegistrarAuthorized(address,uint32,uint32)",
    "RegistrarSuspended": "RegistrarSuspended(address,string)",
    "RegistrarReinstated": "RegistrarReinstated(address,string)",
    "DistrictExcluded": "DistrictExcluded(uint32,string,bytes32)",
    "DistrictRestored": "DistrictRestored(uint32,string)",
    "ResultPublished": "ResultPublished(bytes32)",
    "BallotsRecorded": "BallotsRecorded(bytes32,address,bytes)",
    "RecordedBallotInvalid": "RecordedBallotInvalid(bytes32,uint256,uint256,address)",
    "RelayerAuthorized": "RelayerAuthorized(address)",
    "RelayerSuspended": "RelayerSuspended(address,string)",
    "EncryptedBallotCast": (
        "EncryptedBallotCast(uint256,uint32,uint32,uint256,uint256[8],uint256[34])"
    ),
    "DecryptionPublished": "DecryptionPublished(uint8,address,bytes)",
}
TOPICS = {name: "0x" + keccak(text=signature).hex() for name, signature in _SIGNATURES.items()}
_NAMES = {topic: name for name, topic in TOPICS.items()}
_SHARED_STRINGS = 4_096
"""Transaction hashes and accounts remembered to share their strings (then forgotten)."""


class CheckpointError(VecheError):
    """A checkpoint file cannot be read, or belongs to another election, key or chain."""


@dataclass(slots=True)
class Member:
    """A `MemberAdded` log."""

    block: int
    log: int
    tx: str
    district: int
    position: int
    commitment: int
    tag: str
    """The dedup tag, as `0x` hex."""
    root: int
    registrar: str
    """The registrar's address, lower-case `0x` hex."""


@dataclass(slots=True)
class Replacement:
    """A `MemberReplaced` log: leaf `position` of `district` now holds `new` (a lost key)."""

    block: int
    log: int
    tx: str
    district: int
    position: int
    old: int
    new: int
    tag: str
    """The person's dedup tag, as `0x` hex."""
    root: int
    approvers: list[str]
    """The approving registrars, lower-case `0x` hex, in the contract's (increasing) order."""


@dataclass(slots=True)
class BallotLog:
    """A `BallotCast` log, or one record of a `BallotsRecorded` log (recorded mode: `batch` is
    the batch's key and `index` the record's position in it; `root` is 0, the district's frozen
    root being the one its proof is checked against). `proof` is dropped (None) once the
    proof's verdict is known."""

    block: int
    log: int
    tx: str
    nullifier: int
    district: int
    choice: int
    revision: int
    root: int
    proof: tuple[int, ...] | None
    batch: str = ""
    """The batch's key as `0x` hex for a record; empty for a `BallotCast`."""
    index: int = -1
    relayer: str = ""
    """The account that posted a record, lower-case `0x` hex."""
    ciphertext: bytes = b""
    """An encrypted ballot's 1088 ciphertext bytes (`choice` is then 0); empty when plain."""

    @property
    def recorded(self) -> bool:
        return bool(self.batch)


@dataclass(slots=True)
class InvalidMark:
    """A `RecordedBallotInvalid` log: a challenge proved record `index` of `batch` invalid."""

    block: int
    log: int
    batch: str
    index: int
    nullifier: int
    relayer: str


@dataclass(slots=True)
class DecryptionLog:
    """A `DecryptionPublished` log: a trustee's partial decryptions (`data` as `0x` hex)."""

    block: int
    log: int
    tx: str
    trustee: int
    sender: str
    data: str


@dataclass(slots=True)
class RelayerChange:
    """`RelayerAuthorized` or `RelayerSuspended` (recorded mode)."""

    block: int
    log: int
    kind: str
    relayer: str


@dataclass(slots=True)
class RegistrarChange:
    """`RegistrarAuthorized` (with district and quota), `RegistrarSuspended` or
    `RegistrarReinstated`."""

    block: int
    log: int
    kind: str
    registrar: str
    district: int = -1
    quota: int = 0


@dataclass(slots=True)
class DistrictChange:
    """`DistrictExcluded` (with evidence) or `DistrictRestored`."""

    block: int
    log: int
    district: int
    excluded: bool
    reason: str
    evidence: str


@dataclass(slots=True)
class Published:
    """`ResultPublished`."""

    block: int
    log: int
    result_hash: str


@dataclass
class Scan:
    """What one election logged in `[from_block, to_block]`, with each block's timestamp and
    the positions of ballots whose proofs do not verify."""

    address: str
    chain_id: int
    from_block: int
    to_block: int = -1
    to_block_hash: str = ""
    members: list[Member] = field(default_factory=list)
    replacements: list[Replacement] = field(default_factory=list)
    ballots: list[BallotLog] = field(default_factory=list)
    registrars: list[RegistrarChange] = field(default_factory=list)
    relayers: list[RelayerChange] = field(default_factory=list)
    invalid_marks: list[InvalidMark] = field(default_factory=list)
    districts: list[DistrictChange] = field(default_factory=list)
    results: list[Published] = field(default_factory=list)
    decryptions: list[DecryptionLog] = field(default_factory=list)
    encrypted: bool = False
    """An encrypted election: its records carry ciphertexts (set before the first `extend`)."""
    timestamps: dict[int, int] = field(default_factory=dict)
    invalid_proofs: set[int] = field(default_factory=set)
    verified: int = 0
    """`ballots[:verified]` have a verdict (in `invalid_proofs` or not)."""
    _strings: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def extend(
        self,
        rpc: Rpc,
        to_block: int,
        *,
        on_range: Callable[[int, int], None] | None = None,
        on_page: Callable[[], None] | None = None,
        events: Iterable[str] = tuple(TOPICS),
    ) -> int:
        """Reads the logs of the blocks after `to_block` read so far, up to `to_block`; returns
        how many logs were new. `on_page` is called after each answer's logs are added (the
        recount hands their proofs to the verifier there). `events` narrows the events read (a
        snapshot needs only `MemberAdded` and `MemberReplaced`)."""
        start = max(self.from_block, self.to_block + 1)
        if to_block < start:
            return 0
        new = 0
        topics = [[TOPICS[name] for name in events]]
        for page in rpc.logs(self.address, topics, start, to_block, on_range=on_range):
            for log in page:
                self._add(log)
            new += len(page)
            if on_page is not None:
                on_page()
        self.to_block = to_block
        self.to_block_hash = _block_hash(rpc, to_block)
        missing = {entry.block for entry in self._entries()} - self.timestamps.keys()
        self.timestamps.update(rpc.timestamps(sorted(missing)))
        return new

    def _entries(self) -> Iterable[Any]:
        yield from self.members
        yield from self.replacements
        yield from self.ballots
        yield from self.registrars
        yield from self.relayers
        yield from self.invalid_marks
        yield from self.districts
        yield from self.results
        yield from self.decryptions

    def _add(self, log: RawLog) -> None:
        name = _NAMES.get(log.topics[0]) if log.topics else None
        if name is None:
            return  # an event the recount does not replay
        topics, data = log.topics, log.data
        # A batch's logs repeat its transaction hash, and a few accounts post them all: one
        # string each instead of one a log (a million members' copies weigh 200 MB).
        tx = self._strings.setdefault(log.tx, log.tx)
        if len(self._strings) > _SHARED_STRINGS:
            self._strings.clear()
        if name == "MemberAdded":
            self.members.append(
                Member(
                    log.block,
                    log.index,
                    tx,
                    int(topics[1], 16),
                    int(topics[2], 16),
                    int(data[2:66], 16),
                    "0x" + data[66:130],
                    int(data[130:194], 16),
                    self._address(topics[3]),
                )
            )
        elif name == "MemberReplaced":
            old, new, tag, root, approvers = abi_decode(
                ["uint256", "uint256", "bytes32", "uint256", "address[]"], bytes.fromhex(data[2:])
            )
            self.replacements.append(
                Replacement(
                    log.block,
                    log.index,
                    tx,
                    int(topics[1], 16),
                    int(topics[2], 16),
                    old,
                    new,
                    "0x" + tag.hex(),
                    root,
                    [approver.lower() for approver in approvers],
                )
            )
        elif name == "BallotCast":
            words = [int(data[2 + 64 * i : 66 + 64 * i], 16) for i in range(11)]
            self.ballots.append(
                BallotLog(
                    log.block,
                    log.index,
                    tx,
                    int(topics[1], 16),
                    int(topics[2], 16),
                    words[0],
                    words[1],
                    words[2],
                    tuple(words[3:11]),
                )
            )
        elif name == "EncryptedBallotCast":
            raw = bytes.fromhex(data[2:])
            words = [int.from_bytes(raw[32 * i : 32 * i + 32], "big") for i in range(10)]
            self.ballots.append(
                BallotLog(
                    log.block,
                    log.index,
                    tx,
                    int(topics[1], 16),
                    int(topics[2], 16),
                    0,
                    words[0],
                    words[1],
                    tuple(words[2:10]),
                    ciphertext=raw[320 : 320 + CIPHERTEXT_BYTES],
                )
            )
        elif name == "DecryptionPublished":
            (payload,) = abi_decode(["bytes"], bytes.fromhex(data[2:]))
            self.decryptions.append(
                DecryptionLog(
                    log.block,
                    log.index,
                    tx,
                    int(topics[1], 16),
                    "0x" + topics[2][-40:].lower(),
                    "0x" + payload.hex(),
                )
            )
        elif name == "BallotsRecorded":
            self._add_records(log, tx)
        elif name == "RecordedBallotInvalid":
            self.invalid_marks.append(
                InvalidMark(
                    log.block,
                    log.index,
                    topics[1].lower(),
                    int(data[2:66], 16),
                    int(topics[2], 16),
                    "0x" + topics[3][-40:].lower(),
                )
            )
        elif name in ("RelayerAuthorized", "RelayerSuspended"):
            kind = "authorized" if name == "RelayerAuthorized" else "suspended"
            relayer = "0x" + topics[1][-40:].lower()
            self.relayers.append(RelayerChange(log.block, log.index, kind, relayer))
        elif name == "RegistrarAuthorized":
            self.registrars.append(
                RegistrarChange(
                    log.block,
                    log.index,
                    "authorized",
                    "0x" + topics[1][-40:].lower(),
                    int(topics[2], 16),
                    int(data[2:66], 16),
                )
            )
        elif name in ("RegistrarSuspended", "RegistrarReinstated"):
            kind = "suspended" if name == "RegistrarSuspended" else "reinstated"
            registrar = "0x" + topics[1][-40:].lower()
            self.registrars.append(RegistrarChange(log.block, log.index, kind, registrar))
        elif name == "DistrictExcluded":
            reason, evidence = abi_decode(["string", "bytes32"], bytes.fromhex(data[2:]))
            self.districts.append(
                DistrictChange(
                    log.block, log.index, int(topics[1], 16), True, reason, "0x" + evidence.hex()
                )
            )
        elif name == "DistrictRestored":
            (reason,) = abi_decode(["string"], bytes.fromhex(data[2:]))
            self.districts.append(
                DistrictChange(log.block, log.index, int(topics[1], 16), False, reason, "")
            )
        else:
            self.results.append(Published(log.block, log.index, "0x" + data[2:66]))

    def _address(self, topic: str) -> str:
        """The account in an indexed topic, lower-case `0x` hex, one string per account."""
        address = "0x" + topic[-40:].lower()
        return self._strings.setdefault(address, address)

    def _add_records(self, log: RawLog, tx: str) -> None:
        """One `BallotsRecorded` log: its records, each a ballot of the stream, in batch order."""
        raw = bytes.fromhex(log.data[2:])
        length = int.from_bytes(raw[32:64], "big")
        batch, relayer = log.topics[1].lower(), self._address(log.topics[2])
        if self.encrypted:
            self._add_encrypted_records(log, raw[64 : 64 + length], batch, relayer)
            return
        for index, record in enumerate(decode_records(raw[64 : 64 + length])):
            self.ballots.append(
                BallotLog(
                    log.block,
                    log.index,
                    tx,
                    record.nullifier,
                    record.district,
                    record.choice,
                    record.revision,
                    0,
                    record.proof,
                    batch,
                    index,
                    relayer,
                )
            )

    def _add_encrypted_records(self, log: RawLog, records: bytes, batch: str, relayer: str) -> None:
        from veche.protocol.records import decode_encrypted_records

        for index, record in enumerate(decode_encrypted_records(records)):
            self.ballots.append(
                BallotLog(
                    log.block,
                    log.index,
                    log.tx,
                    record.nullifier,
                    record.district,
                    0,
                    record.revision,
                    0,
                    record.proof,
                    batch,
                    index,
                    relayer,
                    record.ciphertext,
                )
            )

    # --- checkpoint ------------------------------------------------------------------------

    def save(self, path: Path, binding: dict[str, str]) -> None:
        """Writes the scan (proofs already verified are kept as their verdicts only) to `path`,
        bound to `binding` (election, definition and key hashes) so that it is never resumed
        under other rules."""
        from veche.cli.common import write_atomically

        body = {
            "format": CHECKPOINT_FORMAT,
            "binding": binding,
            "address": self.address,
            "chainId": self.chain_id,
            "fromBlock": self.from_block,
            "toBlock": self.to_block,
            "toBlockHash": self.to_block_hash,
            "verified": self.verified,
            "invalidProofs": sorted(self.invalid_proofs),
            "timestamps": [[b, t] for b, t in sorted(self.timestamps.items())],
            "members": [_row(m) for m in self.members],
            "replacements": [_row(r) for r in self.replacements],
            "encrypted": self.encrypted,
            "ballots": [_row(b) for b in self.ballots],
            "registrars": [_row(r) for r in self.registrars],
            "relayers": [_row(r) for r in self.relayers],
            "invalidMarks": [_row(m) for m in self.invalid_marks],
            "districts": [_row(d) for d in self.districts],
            "results": [_row(r) for r in self.results],
            "decryptions": [_row(d) for d in self.decryptions],
        }
        write_atomically(path, gzip.compress(json.dumps(body).encode(), compresslevel=1))

    @classmethod
    def load(cls, path: Path, binding: dict[str, str], rpc: Rpc) -> "Scan":
        """The scan saved at `path`; refuses one made for other rules, or whose last block is
        no longer on the chain (a reorganisation: start again without the checkpoint)."""
        try:
            body = json.loads(gzip.decompress(path.read_bytes()))
            if body.get("format") != CHECKPOINT_FORMAT:
                raise CheckpointError(f"{path} is not a recount checkpoint")
            if body["binding"] != binding:
                differs = sorted(k for k in binding if body["binding"].get(k) != binding[k])
                raise CheckpointError(
                    f"{path} was made for another {', '.join(differs)}: refusing to resume it"
                )
            scan = cls(body["address"], body["chainId"], body["fromBlock"], body["toBlock"])
            scan.to_block_hash = body["toBlockHash"]
            scan.verified = body["verified"]
            scan.invalid_proofs = set(body["invalidProofs"])
            scan.timestamps = {b: t for b, t in body["timestamps"]}
            scan.members = [Member(*row) for row in body["members"]]
            scan.replacements = [Replacement(*row) for row in body.get("replacements", [])]
            scan.ballots = [_ballot(row) for row in body["ballots"]]
            scan.registrars = [RegistrarChange(*row) for row in body["registrars"]]
            scan.relayers = [RelayerChange(*row) for row in body.get("relayers", [])]
            scan.invalid_marks = [InvalidMark(*row) for row in body.get("invalidMarks", [])]
            scan.districts = [DistrictChange(*row) for row in body["districts"]]
            scan.results = [Published(*row) for row in body["results"]]
            scan.decryptions = [DecryptionLog(*row) for row in body.get("decryptions", [])]
            scan.encrypted = bool(body.get("encrypted", False))
        except (OSError, EOFError, ValueError, KeyError, TypeError, gzip.BadGzipFile) as error:
            raise CheckpointError(f"cannot read checkpoint {path}: {error}") from None
        if scan.to_block >= 0 and _block_hash(rpc, scan.to_block) != scan.to_block_hash:
            raise CheckpointError(
                f"block {scan.to_block} of checkpoint {path} is no longer on the chain "
                "(a reorganisation): recount without it"
            )
        return scan


def _row(entry: Any) -> list[Any]:
    return [_json_value(getattr(entry, name)) for name in entry.__slots__]


def _json_value(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value


def _ballot(row: list[Any]) -> BallotLog:
    ballot = BallotLog(*row)
    if ballot.proof is not None:
        ballot.proof = tuple(ballot.proof)
    if isinstance(ballot.ciphertext, str):
        ballot.ciphertext = bytes.fromhex(ballot.ciphertext)
    return ballot


def _block_hash(rpc: Rpc, number: int) -> str:
    header = rpc.call("eth_getBlockByNumber", hex(number), False)
    return str(header["hash"]) if header else ""
