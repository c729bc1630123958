"""Rebuilds every register and the ballot box from an election's logs, checks that the chain
agrees, and computes the result under the published definition.

Nothing here trusts the chain's own bookkeeping: roots, member counts and stored ballots are
recomputed from the logs and compared with what the contract says, every ballot's proof is
verified again off-chain with the verification key the definition pins, and the code of the
Election, its verifier and its libraries is compared with a reproducible build (`bytecode`).
"""

import hashlib
import os
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils import keccak
from web3 import Web3

from veche.chain.election import ElectionContract
from veche.chain.rpc import Rpc
from veche.crypto.hashing import encrypted_public_signals, public_signals
from veche.definition.canonical import definition_hash
from veche.definition.model import ElectionDefinition
from veche.errors import VecheError
from veche.model import Ballot, BallotBox, Calendar, DistrictRules, ElectionRules, Rejection
from veche.protocol.records import BallotMode, BallotSecrecy, ciphertext_words
from veche.recount.bytecode import check_election_code
from veche.recount.encrypted import (
    Decryption,
    DecryptionStatus,
    Published,
    counted_ciphertexts,
    decrypt,
    district_sums,
    turnout,
)
from veche.recount.keycheck import recount_key
from veche.recount.progress import Progress
from veche.recount.registers import replay_registers
from veche.recount.result import (
    BallotCounts,
    Exclusion,
    ExclusionSource,
    build_result,
    result_hash,
)
from veche.recount.scan import BallotLog, CheckpointError, DistrictChange, Scan
from veche.recount.verify import ProofStream

SAMPLED_BALLOTS = 64
"""Counted ballots whose stored copy (`ballotOf`) is compared with the replay: the replay is
complete, the sample checks that the contract's storage says the same (no per-ballot call)."""


class DefinitionMismatch(VecheError):
    """The definition file is not the one the election was deployed with."""


class UnknownDistrictId(VecheError):
    """`--exclude` names a district the definition does not have."""


@dataclass
class RecountResult:
    """Everything a recount found; `verified` is true only if nothing disagreed."""

    election: str
    chain_id: int
    calendar: Calendar
    registered: list[int]
    box: BallotBox
    result: dict[str, Any]
    result_hash: bytes
    official_hash: bytes
    """The hash of the count under the exclusions in force on chain (the one to publish); it
    differs from `result_hash` only when `--exclude` or `--ignore-exclusions` were given."""
    published_hash: bytes | None
    exclusions_on_chain: list[Exclusion]
    discrepancies: list[str] = field(default_factory=list)
    verifier_matches_key: bool = False
    verification_key_sha256: str = ""
    seconds: float = 0.0
    block: int = 0
    """The block every log and view was read at."""
    from_block: int = 0
    """The first block read: the election's deployment block, unless given."""
    scan: Scan | None = field(default=None, repr=False)
    """What was read, to resume from (`--follow`)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage (fetch, verify, registers, replay)."""
    audit: dict[str, Any] | None = None
    """The 2% report (`veche.recount.audit`), when asked for; never part of the result hash."""
    locations: dict[int, list[int]] = field(default_factory=dict, repr=False)
    """Each nullifier's `[block, other records]`: the block of its record that counts (or, if
    none counts, of its last one) and how many other records carry it (`--buckets`)."""
    decryption: Decryption | None = None
    """An encrypted election's sums and what the trustees' published data gave; None when
    plain. Until it is `decrypted`, `result` is the turnout only and there is no result hash."""
    election_key_hash: bytes = b""

    @property
    def verified(self) -> bool:
        return self.verifier_matches_key and not self.discrepancies

    @property
    def decrypted(self) -> bool:
        """A result exists: a plain election, or an encrypted one the trustees decrypted."""
        return self.decryption is None or self.decryption.status is DecryptionStatus.DECRYPTED

    @property
    def published_matches(self) -> bool | None:
        """True/False once a result is published on chain; None before."""
        return None if self.published_hash is None else self.published_hash == self.official_hash

    def record(self) -> dict[str, Any]:
        """The recount record (JSON): the result plus how it was checked."""
        return {
            "election": self.election,
            "chainId": self.chain_id,
            "calendar": dict(zip(_CALENDAR_KEYS, self.calendar.as_tuple(), strict=True)),
            "verificationKeySha256": self.verification_key_sha256,
            "verifierMatchesKey": self.verifier_matches_key,
            "exclusionsOnChain": [e.district for e in self.exclusions_on_chain],
            "result": self.result,
            "resultHash": "0x" + self.result_hash.hex() if self.decrypted else None,
            "publishedResultHash": None
            if self.published_hash is None
            else "0x" + self.published_hash.hex(),
            "publishedMatches": self.published_matches,
            "discrepancies": self.discrepancies,
            "verified": self.verified,
            "block": self.block,
            "fromBlock": self.from_block,
            "seconds": round(self.seconds, 3),
            "stageSeconds": {stage: round(t, 3) for stage, t in self.timings.items()},
            **({} if self.audit is None else {"audit": self.audit}),
            **({} if self.decryption is None else {"decryption": self.decryption.record()}),
        }


_CALENDAR_KEYS = ("registrationStart", "registrationEnd", "votingStart", "votingEnd", "appealsEnd")


def recount(
    w3: Web3,
    address: str,
    definition: ElectionDefinition,
    verification_key: Path,
    *,
    exclude: Iterable[str] = (),
    ignore_exclusions: bool = False,
    from_block: int | None = None,
    at_block: int | None = None,
    resume: Scan | None = None,
    checkpoint: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> RecountResult:
    """Recounts the election at `address` from its logs under `definition`.

    `exclude` adds exclusions (district ids) to those in force on chain, and
    `ignore_exclusions` drops the chain's: both let anyone see what an appeal changed.

    Every log and view is read at one block (`at_block`, default the latest when the recount
    starts), from the election's deployment block (found by binary search on `eth_getCode`
    unless `from_block` is given). `resume` (a previous result's `scan`) or `checkpoint` (a
    file, read if it exists and written when the proofs are verified) saves reading and
    verifying again what was read before; the result is the same as a recount from scratch.
    """
    started = time.perf_counter()
    progress = progress or Progress(quiet=True)
    timings: dict[str, float] = {}
    rpc = Rpc(_endpoint(w3))
    pinned = rpc.block_number() if at_block is None else at_block
    contract = ElectionContract(w3, address, check=False).at(pinned)
    contract.require_election()  # refuses an address without an Election (at that block)
    expected = definition_hash(definition)
    if contract.definition_hash() != expected:
        raise DefinitionMismatch(
            f"the definition hashes to 0x{expected.hex()}, but the election was deployed with "
            f"0x{contract.definition_hash().hex()}: refusing to count under other rules"
        )
    ids = [district.id for district in definition.districts]
    for district_id in exclude:
        if district_id not in ids:
            raise UnknownDistrictId(f"--exclude {district_id}: no such district ({', '.join(ids)})")
    recount_key(verification_key, definition.verification_key_sha256)
    key_bytes = verification_key.read_bytes()
    chain_id = rpc.chain_id()
    binding = {
        "election": contract.address,
        "chainId": str(chain_id),
        "definitionHash": "0x" + expected.hex(),
        "verificationKeySha256": hashlib.sha256(key_bytes).hexdigest(),
    }

    scan = resume
    if scan is None and checkpoint is not None and checkpoint.exists():
        scan = Scan.load(checkpoint, binding, rpc)
    encrypted = definition.ballot_secrecy is BallotSecrecy.ENCRYPTED
    if scan is None:
        start = rpc.deployment_block(contract.address, pinned) if from_block is None else from_block
        scan = Scan(contract.address, chain_id, start, encrypted=encrypted)
    if scan.to_block > pinned:
        raise CheckpointError(
            f"the checkpoint reaches block {scan.to_block}, beyond block {pinned} to count at"
        )
    scope = contract.scope()
    mode = contract.ballot_mode()
    # A record's proof is checked against its district's root (registers are frozen before
    # voting); the rebuilt registers are compared with these roots below.
    roots = [state.merkle_root for state in contract.districts()]
    options = [state.option_count for state in contract.districts()]
    _read_and_verify(scan, rpc, pinned, scope, roots, options, verification_key, workers,
                     progress, timings)  # fmt: skip
    if checkpoint is not None:
        scan.save(checkpoint, binding)

    discrepancies: list[str] = []
    if mode is not definition.ballot_mode:
        discrepancies.append(
            f"the contract takes ballots in the {mode} mode, the definition says "
            f"{definition.ballot_mode}"
        )
    states = contract.districts()
    if len(states) != len(ids):
        discrepancies.append(f"the contract has {len(states)} districts, the definition {len(ids)}")
    calendar = contract.calendar()
    if calendar != definition.calendar.on_chain:
        discrepancies.append("the contract's calendar differs from the definition's")
    recovery_approvals = contract.recovery_approvals()
    if recovery_approvals != definition.effective_recovery_approvals:
        discrepancies.append(
            f"the contract requires {recovery_approvals} registrars for a replacement, the "
            f"definition {definition.effective_recovery_approvals}"
        )
    code = check_election_code(
        w3, contract.address, contract.verifier(), verification_key, block=pinned
    )
    discrepancies.extend(code.problems)

    mark = time.perf_counter()
    with progress.stage("rebuilding registers", len(scan.members), "members") as bar:
        registers = replay_registers(
            scan,
            len(states),
            calendar,
            discrepancies,
            workers=workers,
            recovery_approvals=recovery_approvals,
        )
        bar.update(len(scan.members))
    timings["registers"] = time.perf_counter() - mark
    trees = registers.trees
    for number, (register, state) in enumerate(zip(trees, states, strict=True)):
        if (register.root, register.size) != (state.merkle_root, state.member_count):
            discrepancies.append(
                f"district {number}: rebuilt register (root {register.root}, {register.size} "
                f"members) differs from the contract's ({state.merkle_root}, "
                f"{state.member_count})"
            )

    rules = ElectionRules(
        calendar,
        scope,
        tuple(
            DistrictRules(state.option_count, register.root, register.size, state.minimum_members)
            for state, register in zip(states, trees, strict=True)
        ),
    )
    mark = time.perf_counter()
    counted_at: dict[int, int] = {}
    box, locations = _replay_ballots(scan, rules, discrepancies, mode, counted_at)
    if mode is BallotMode.RECORDED:
        discrepancies.extend(_check_records(scan))
        if contract.ballot_count() != 0:
            discrepancies.append(
                f"the contract counts {contract.ballot_count()} voters in the recorded mode, "
                "where it keeps none"
            )
    else:
        discrepancies.extend(_compare_ballots(contract, box, scan, counted_at))
    timings["replay"] = time.perf_counter() - mark
    decryption = None
    key_hash = b""
    if encrypted:
        mark = time.perf_counter()
        key_hash, decryption = _decrypt(
            contract, definition, scan, box, counted_at, options, discrepancies, progress, workers
        )
        timings["decrypt"] = time.perf_counter() - mark

    on_chain = _exclusions_in_force(
        scan.districts, scan.timestamps, calendar, ids, states, discrepancies
    )
    published = contract.result_hash()
    _check_publication(scan, calendar, published, discrepancies)
    applied = [] if ignore_exclusions else list(on_chain)
    applied += [
        Exclusion(d, ExclusionSource.RECOUNT)
        for d in exclude
        if d not in {e.district for e in applied}
    ]

    def result_with(exclusions: Sequence[Exclusion]) -> dict[str, Any]:
        if decryption is not None:
            if decryption.tallies is None:
                return turnout(ids, [register.size for register in trees], decryption.sums)
            tallies = decryption.tallies
        else:
            tallies = box.tallies()
        return build_result(
            election=contract.address,
            chain_id=chain_id,
            definition=definition,
            definition_hash=expected,
            tallies=tallies,
            registered=[register.size for register in trees],
            exclusions=sorted(exclusions, key=lambda e: ids.index(e.district)),
            ballots=BallotCounts(len(box.superseded), box.rejection_counts()),
        )

    result = result_with(applied)
    # The published hash is judged against the count under the exclusions in force on chain,
    # whatever this recount was asked to imagine with --exclude or --ignore-exclusions.
    official_hash = result_hash(result if applied == on_chain else result_with(on_chain))
    if decryption is not None and decryption.tallies is None:
        official_hash = b""  # no tally exists yet: there is no result to hash
        if published is not None:
            discrepancies.append(
                f"a result hash, 0x{published.hex()}, is published on chain, but the tally has "
                "not been decrypted: no recount can check it"
            )
    elif published is not None and published != official_hash:
        discrepancies.append(
            f"the result hash published on chain, 0x{published.hex()}, is not the hash of this "
            f"count, 0x{official_hash.hex()}: the published result is not the election's"
        )
    rpc.close()
    return RecountResult(
        election=contract.address,
        chain_id=chain_id,
        calendar=calendar,
        registered=[register.size for register in trees],
        box=box,
        result=result,
        result_hash=result_hash(result) if official_hash else b"",
        official_hash=official_hash,
        published_hash=published,
        exclusions_on_chain=on_chain,
        discrepancies=discrepancies,
        verifier_matches_key=code.verifier_matches,
        verification_key_sha256=binding["verificationKeySha256"],
        seconds=time.perf_counter() - started,
        block=pinned,
        from_block=scan.from_block,
        scan=scan,
        timings=timings,
        locations=locations,
        decryption=decryption,
        election_key_hash=key_hash,
    )


def _decrypt(
    contract: ElectionContract,
    definition: ElectionDefinition,
    scan: Scan,
    box: BallotBox,
    counted_at: dict[int, int],
    options: Sequence[int],
    discrepancies: list[str],
    progress: Progress,
    workers: int | None,
) -> tuple[bytes, Decryption]:
    """An encrypted election's tally: the sums of the ballots that count, per district, then
    the trustees' partial decryptions read from chain, verified and combined."""
    from veche.trustees.key import ElectionKey

    if definition.election_key is None:
        raise VecheError("the definition is encrypted but names no election key file")
    key = ElectionKey.load(definition.election_key)
    key_hash = key.key_hash()
    on_chain = contract.election_key_hash()
    if on_chain != key_hash:
        discrepancies.append(
            f"the election key hashes to 0x{key_hash.hex()}, the contract records "
            f"{'none' if on_chain is None else '0x' + on_chain.hex()}"
        )
    ciphertexts = [ballot.ciphertext for ballot in scan.ballots]
    with progress.stage("summing ciphertexts", len(box.current), "ballots") as bar:
        sums = district_sums(
            options,
            list(counted_ciphertexts(box.current, counted_at, ciphertexts)),
            workers=workers or os.cpu_count() or 1,
        )
        bar.update(len(box.current))
    published = [
        Published(entry.trustee, entry.sender, bytes.fromhex(entry.data[2:]), entry.tx)
        for entry in sorted(scan.decryptions, key=lambda d: (d.block, d.log))
    ]
    with progress.stage("decrypting", len(published), "partial decryptions") as bar:
        decryption = decrypt(key, sums, published)
        bar.update(len(published))
    if decryption.status is DecryptionStatus.UNDECRYPTABLE:
        discrepancies.append(decryption.reason)
    return key_hash, decryption


def _endpoint(w3: Web3) -> str:
    uri = getattr(w3.provider, "endpoint_uri", None)
    if not uri:
        raise VecheError("the recount reads the chain over HTTP JSON-RPC: give it an --rpc URL")
    return str(uri)


def _read_and_verify(
    scan: Scan,
    rpc: Rpc,
    pinned: int,
    scope: int,
    roots: Sequence[int],
    options: Sequence[int],
    key: Path,
    workers: int | None,
    progress: Progress,
    timings: dict[str, float],
) -> None:
    """Reads the logs up to `pinned` and verifies the proof of every ballot read since the last
    verification (a record against its district's root in `roots`; an encrypted ballot's
    signals also name its district's number of `options`) while reading: each answer's
    proofs go to the workers at once and leave the ballots (only the verdict is kept: a million
    proofs would fill memory). `timings`: "fetch" is the reading (checks running alongside),
    "verify" the wait for the checks still running after it."""
    stream = ProofStream(key, workers=workers)
    unsignable: set[int] = set()
    fed = scan.verified

    def feed() -> None:
        nonlocal fed
        ballots = scan.ballots
        for position in range(fed, len(ballots)):
            ballot = ballots[position]
            signals = _signals(ballot, scope, roots, options)
            if signals is None:
                unsignable.add(position)
            else:
                stream.add(position, ballot.proof or (), signals)
            ballot.proof = None
        fed = len(ballots)

    try:
        mark = time.perf_counter()
        with progress.stage("reading logs", pinned - scan.to_block, "blocks") as bar:
            scan.extend(rpc, pinned, on_range=lambda first, last: bar.update(last - first + 1),
                        on_page=feed)  # fmt: skip
        feed()
        timings["fetch"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with progress.stage("verifying proofs", stream.added, "proofs") as bar:
            bar.update(stream.done)
            stream.on_done = bar.update
            invalid = stream.finish()
        timings["verify"] = time.perf_counter() - mark
    finally:
        stream.close()
    scan.invalid_proofs.update(invalid | unsignable)
    scan.verified = len(scan.ballots)


def _signals(
    ballot: BallotLog, scope: int, roots: Sequence[int], options: Sequence[int]
) -> list[int] | None:
    """A ballot's public signals (4, or 39 for an encrypted ballot), or None if it names no
    district of the election or carries a malformed ciphertext."""
    try:
        root = ballot.root
        if ballot.recorded:
            if not 0 <= ballot.district < len(roots):
                raise VecheError(f"no district {ballot.district}")
            root = roots[ballot.district]
        if ballot.ciphertext:
            if not 0 <= ballot.district < len(options):
                raise VecheError(f"no district {ballot.district}")
            return encrypted_public_signals(
                root,
                ballot.nullifier,
                ciphertext_words(ballot.ciphertext),
                ballot.revision,
                scope,
                ballot.district,
                options[ballot.district],
            )
        return public_signals(
            root, ballot.nullifier, ballot.choice, ballot.revision, scope, ballot.district
        )
    except (VecheError, ValueError):
        return None


class _Verdicts:
    """The proof check the ballot box calls during the replay: the verdict already reached for
    the ballot being replayed (`position`)."""

    def __init__(self, invalid: set[int]) -> None:
        self.invalid = invalid
        self.position = 0

    def __call__(self, packed: Sequence[int], signals: Sequence[int]) -> bool:
        return self.position not in self.invalid


_EXPECTED_REFUSALS = {
    # In the recorded mode the contract verifies no record and orders no revision: the recount
    # does, and reports what it refuses. A verified single ballot's proof was checked on chain,
    # so only its revision may be refused.
    True: {Rejection.INVALID_PROOF, Rejection.STALE_REVISION, Rejection.REVISION_GAP},
    False: {Rejection.STALE_REVISION, Rejection.REVISION_GAP},
}


def _replay_ballots(
    scan: Scan,
    rules: ElectionRules,
    discrepancies: list[str],
    mode: BallotMode,
    counted_at: dict[int, int] | None = None,
) -> tuple[BallotBox, dict[int, list[int]]]:
    """Replays the ballot stream in chain order (block, log index, position in a batch): the
    verified mode's `BallotCast` logs, or the recorded mode's records and verified single
    ballots, which form one sequence of revisions per nullifier (docs/PROTOCOL.md, "Ballot
    modes"). A refusal the contract should have made itself is a discrepancy; in the recorded
    mode invalid proofs and stale or skipping revisions are the recount's to refuse. Also
    returns where each nullifier's ballot is (`RecountResult.locations`), and fills
    `counted_at` with the stream position of each nullifier's ballot that counts (an encrypted
    election sums those ballots' ciphertexts)."""
    verdicts = _Verdicts(scan.invalid_proofs)
    box = BallotBox(rules, verdicts, keep_rejected=False)
    locations: dict[int, list[int]] = {}
    recorded_mode = mode is BallotMode.RECORDED
    for position, event in enumerate(scan.ballots):
        verdicts.position = position
        root = event.root
        if event.recorded and 0 <= event.district < len(rules.districts):
            root = rules.districts[event.district].merkle_root
        outcome = box.cast(
            Ballot(
                event.nullifier,
                event.district,
                event.choice,
                event.revision,
                root,
                (),  # verified already: the verdict stands for the proof
                scan.timestamps[event.block],
            )
        )
        place = locations.get(event.nullifier)
        if place is None:
            locations[event.nullifier] = [event.block, 0]
        else:
            place[1] += 1
            if outcome.accepted or event.nullifier not in box.current:
                place[0] = event.block
        if outcome.accepted:
            if counted_at is not None:
                counted_at[event.nullifier] = position
            continue
        if recorded_mode and outcome.rejection in _EXPECTED_REFUSALS[event.recorded]:
            continue
        what = f"record {event.index} of batch {event.batch}" if event.recorded else "a ballot"
        discrepancies.append(
            f"the chain accepted {what} the rules refuse ({outcome.rejection}) in "
            f"transaction {event.tx}"
        )
    return box, locations


def _check_records(scan: Scan) -> list[str]:
    """The recorded mode's bookkeeping against the replay: every batch was posted by a relayer
    account authorised and not suspended at that moment, and every record a challenge marked
    invalid is invalid here too (the contract verified it; a valid one marked would be a
    relayer suspended for nothing)."""
    found = []
    status: dict[str, str] = {}
    changes = sorted(scan.relayers, key=lambda c: (c.block, c.log))
    batches = sorted(
        {(b.block, b.log, b.relayer, b.batch) for b in scan.ballots if b.recorded},
    )
    pending = iter(changes)
    change = next(pending, None)
    for block, log, relayer, batch in batches:
        while change is not None and (change.block, change.log) < (block, log):
            status[change.relayer] = change.kind
            change = next(pending, None)
        if status.get(relayer) != "authorized":
            found.append(
                f"batch {batch} was posted by {relayer}, which was "
                f"{status.get(relayer, 'never authorised')} then"
            )
    positions: dict[tuple[str, int], list[int]] = {}
    for position, ballot in enumerate(scan.ballots):
        if ballot.recorded:
            positions.setdefault((ballot.batch, ballot.index), []).append(position)
    for mark in scan.invalid_marks:
        marked = positions.get((mark.batch, mark.index), [])
        if not marked:
            found.append(f"record {mark.index} of batch {mark.batch} was marked but never posted")
        elif any(p not in scan.invalid_proofs for p in marked):
            found.append(
                f"record {mark.index} of batch {mark.batch} was marked invalid on chain, but its "
                "proof verifies"
            )
    return found


def _exclusions_in_force(
    changes: Sequence[DistrictChange],
    timestamps: dict[int, int],
    calendar: Calendar,
    ids: Sequence[str],
    states: Sequence[Any],
    discrepancies: list[str],
) -> list[Exclusion]:
    """Replays every exclusion and restoration; the last word on each district stands."""
    standing: dict[int, Exclusion] = {}
    for change in changes:
        moment = timestamps[change.block]
        if not calendar.appeals_open(moment):
            discrepancies.append(
                f"district {change.district} was {'excluded' if change.excluded else 'restored'}"
                f" at {moment}, outside the appeals period [{calendar.voting_end}, "
                f"{calendar.appeals_end})"
            )
        if not 0 <= change.district < len(ids):
            discrepancies.append(f"an appeal names unknown district {change.district}")
            continue
        if change.excluded:
            standing[change.district] = Exclusion(
                ids[change.district], ExclusionSource.APPEAL, change.reason, change.evidence
            )
        else:
            standing.pop(change.district, None)
    for number, state in enumerate(states):
        if state.excluded != (number in standing):
            discrepancies.append(f"district {number}: exclusion events and state disagree")
    return [standing[number] for number in sorted(standing)]


def _check_publication(
    scan: Scan, calendar: Calendar, published: bytes | None, discrepancies: list[str]
) -> None:
    """At most one result, published after appeals, and the one the contract holds."""
    if len(scan.results) > 1:
        discrepancies.append(f"the result was published {len(scan.results)} times")
    for event in scan.results:
        moment = scan.timestamps[event.block]
        if moment < calendar.appeals_end:
            discrepancies.append(
                f"the result was published at {moment}, before appeals ended "
                f"({calendar.appeals_end})"
            )
    logged = scan.results[-1].result_hash if scan.results else None
    held = None if published is None else "0x" + published.hex()
    if logged != held:
        discrepancies.append(f"the contract holds result hash {held}, its log says {logged}")


def _compare_ballots(
    contract: ElectionContract, box: BallotBox, scan: Scan, counted_at: dict[int, int]
) -> list[str]:
    """The contract's count of voters, and its stored ballot for a random sample of them (with
    its ciphertext's hash, in an encrypted election), must be what the replay of the logs
    gives."""
    found = []
    if contract.ballot_count() != len(box.current):
        found.append(
            f"the contract counts {contract.ballot_count()} voters, the recount {len(box.current)}"
        )
    nullifiers = list(box.current)
    sample = secrets.SystemRandom().sample(nullifiers, min(SAMPLED_BALLOTS, len(nullifiers)))
    for nullifier in sample:
        ballot = box.current[nullifier]
        stored = contract.ballot_of(nullifier)
        if (stored.district, stored.choice, stored.revision) != (
            ballot.district,
            ballot.choice,
            ballot.revision,
        ):
            found.append(f"nullifier {nullifier}: chain has revision {stored.revision}")
        ciphertext = scan.ballots[counted_at[nullifier]].ciphertext
        if ciphertext and contract.ciphertext_hash_of(nullifier) != keccak(ciphertext):
            found.append(f"nullifier {nullifier}: the chain stores another ciphertext")
    return found
