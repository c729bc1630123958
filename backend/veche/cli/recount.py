"""`veche recount`: the whole result from public chain data alone."""

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from veche.cli.common import UsageError, address, write_atomically
from veche.errors import VecheError
from veche.recount.buckets import MAX_BITS

if TYPE_CHECKING:
    from web3 import Web3

    from veche.definition import ElectionDefinition
    from veche.recount import RecountResult
    from veche.recount.scan import Scan


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("recount", help="recount an election from public chain data alone")
    p.add_argument("--rpc", required=True, help="JSON-RPC URL of the chain")
    p.add_argument("--election", required=True, type=address, help="Election contract address")
    p.add_argument("--definition", required=True, help="the election's definition (TOML)")
    p.add_argument(
        "--json",
        help="write the recount record (JSON) to this file; with '-', print only the record "
        "(no report, no progress)",
    )
    p.add_argument(
        "--result", help="write the canonical result (the bytes whose hash is published)"
    )
    p.add_argument("--chart", help="draw votes and seats per district to this SVG file")
    p.add_argument(
        "--summary",
        metavar="FILE",
        help="write the observers' summary (JSON: per-district and per-registrar counts over "
        "time up to the counted block) for the observers' page to start from; the page checks "
        "it against the chain",
    )
    p.add_argument(
        "--buckets",
        metavar="DIR",
        help="write ballot buckets (where each ballot is, grouped by the low bits of its "
        "nullifier) for voters' pages to find their own ballot without naming it",
    )
    p.add_argument(
        "--bucket-bits",
        type=int,
        default=10,
        metavar="N",
        help="2^N buckets (default 10: about 1,000 ballots a bucket at a million)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="DISTRICT",
        help="also exclude this district's ballots (repeatable): what would an appeal change?",
    )
    p.add_argument(
        "--ignore-exclusions",
        action="store_true",
        help="count the districts excluded on chain too: what did the appeals change?",
    )
    p.add_argument(
        "--audit",
        action="store_true",
        help="add the 2%% report: every distortion public data shows, against 2%% of turnout, "
        "and each district's seat-stability margin",
    )
    p.add_argument(
        "--reports",
        metavar="FILE",
        help="with --audit: refusals published by relayers and registrars (JSON, see "
        "docs/PROTOCOL.md)",
    )
    p.add_argument("--verification-key", help="snarkjs verification_key.json (default: dev key)")
    p.add_argument(
        "--from-block",
        type=_block,
        help="the election's deployment block (from its deployment record); default: found "
        "on chain by binary search, which needs a node that keeps old state",
    )
    p.add_argument(
        "--at-block",
        type=_block,
        help="count as of this block (default: the latest when the recount starts); every log "
        "and view is read at one block",
    )
    p.add_argument(
        "--checkpoint",
        help="resume from this file if it exists, and save what was read and verified to it "
        "(the result is the same as a recount from scratch)",
    )
    p.add_argument(
        "--follow",
        type=float,
        metavar="SECONDS",
        help="keep counting: read new blocks every SECONDS and print one line per round, "
        "until interrupted (Ctrl-C)",
    )
    p.add_argument(
        "--sums",
        metavar="FILE",
        help="encrypted election: write the homomorphic sum of each district's counted ballots "
        "(veche-district-sums/v1), which each trustee decrypts with `veche trustee decrypt`",
    )
    p.add_argument(
        "--workers", type=_positive, help="processes that verify proofs (default: every core)"
    )
    p.set_defaults(func=run)


def _block(value: str) -> int:
    try:
        number = int(value, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a block number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"a block number is not negative: {number}")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"at least 1, got {number}")
    return number


def run(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.definition import load
    from veche.recount import recount
    from veche.recount.audit import Reports, audit
    from veche.recount.chart import render_svg
    from veche.recount.keycheck import default_verification_key
    from veche.recount.progress import Progress
    from veche.recount.report import render
    from veche.recount.result import canonical_result

    if args.reports and not args.audit:
        raise VecheError("--reports is read only with --audit")
    if args.buckets and not 0 <= args.bucket_bits <= MAX_BITS:
        raise UsageError(f"--bucket-bits must be between 0 and {MAX_BITS}, got {args.bucket_bits}")
    reports = Reports.load(Path(args.reports)) if args.reports else Reports()
    definition = load(args.definition)
    key = (
        Path(args.verification_key)
        if args.verification_key
        else default_verification_key(definition)
    )
    if not key.is_file():
        raise UsageError(
            f"no verification key at {key}: give --verification-key (the election's "
            "verification_key.json)"
        )
    quiet = args.json == "-"
    w3 = connect(args.rpc)

    def count(previous: "Scan | None" = None) -> "RecountResult":
        return recount(
            w3,
            args.election,
            definition,
            key,
            exclude=args.exclude,
            ignore_exclusions=args.ignore_exclusions,
            from_block=args.from_block,
            at_block=args.at_block if previous is None else None,
            resume=previous,
            checkpoint=Path(args.checkpoint) if args.checkpoint else None,
            workers=args.workers,
            progress=Progress(quiet=quiet or previous is not None),
        )

    result = count()
    if args.follow is not None:

        def publish(latest: "RecountResult") -> None:
            if args.summary:
                write_atomically(Path(args.summary), _summary(w3, definition, latest))
            if args.buckets:
                _write_buckets(Path(args.buckets), args.bucket_bits, latest)

        return _follow(result, count, args.follow, publish)
    if args.audit:
        result.audit = audit(definition, result, reports)
    buckets = _write_buckets(Path(args.buckets), args.bucket_bits, result) if args.buckets else 0
    if quiet:
        print(json.dumps(result.record(), indent=2))
        return 0 if result.verified else 3
    print(render(result))
    if args.json:
        write_atomically(Path(args.json), (json.dumps(result.record(), indent=2) + "\n").encode())
        print(f"Recount record written to {args.json}")
    if args.result:
        write_atomically(Path(args.result), canonical_result(result.result))
        print(f"Canonical result written to {args.result}")
    if args.chart:
        write_atomically(Path(args.chart), render_svg(result.result).encode())
        print(f"Chart written to {args.chart}")
    if args.summary:
        write_atomically(Path(args.summary), _summary(w3, definition, result))
        print(f"Observers' summary (up to block {result.block}) written to {args.summary}")
    if args.sums:
        _write_sums(Path(args.sums), result)
        print(f"District sums for the trustees (veche trustee decrypt) written to {args.sums}")
    if args.buckets:
        print(f"{2**args.bucket_bits} ballot buckets ({buckets} bytes) written to {args.buckets}")
    return 0 if result.verified else 3


def _write_sums(path: Path, result: "RecountResult") -> None:
    """The encrypted election's district sums, as the trustees decrypt them."""
    from veche.trustees.decrypt import write_sums

    if result.decryption is None:
        raise UsageError("--sums: this election's ballots are not encrypted: nothing to decrypt")
    write_sums(path, result.election_key_hash, result.decryption.sums)


def _write_buckets(folder: Path, bits: int, result: "RecountResult") -> int:
    """Writes the ballot buckets of what the recount read (one entry a nullifier, up to its
    block); the index last, so a reader never finds an index newer than its buckets."""
    from veche.recount.buckets import bucket_files

    assert result.scan is not None  # a recount always keeps what it read
    files = bucket_files(
        ((nullifier, block, others) for nullifier, (block, others) in result.locations.items()),
        records=len(result.scan.ballots),
        bits=bits,
        chain_id=result.chain_id,
        election=result.election,
        block=result.block,
    )
    folder.mkdir(parents=True, exist_ok=True)
    index = files.pop("index.json")
    for name, data in files.items():
        write_atomically(folder / name, data)
    write_atomically(folder / "index.json", index)
    return sum(map(len, files.values())) + len(index)


def _summary(w3: "Web3", definition: "ElectionDefinition", result: "RecountResult") -> bytes:
    from veche.chain.election import ElectionContract
    from veche.definition.canonical import definition_hash
    from veche.recount.summary import summarize

    assert result.scan is not None  # a recount always keeps what it read
    block_time = int(w3.eth.get_block(result.block)["timestamp"])
    pinned = ElectionContract(w3, result.election, check=False).at(result.block)
    summary = summarize(
        result.scan,
        district_count=len(result.registered),
        calendar=result.calendar,
        definition_hash=definition_hash(definition),
        block_time=block_time,
        roots=[state.merkle_root for state in pinned.districts()],
        approvers=[
            event.approvers for event in pinned.replacement_events(result.from_block, result.block)
        ],
    )
    return (json.dumps(summary, separators=(",", ":")) + "\n").encode()


def _follow(
    result: "RecountResult",
    count: "Callable[[Scan | None], RecountResult]",
    seconds: float,
    publish: "Callable[[RecountResult], None]",
) -> int:
    """One line per round until interrupted; each round reads only the new blocks (and, with
    --summary, rewrites the observers' summary)."""
    import time

    try:
        while True:
            publish(result)
            box = result.box
            verdict = "verified" if result.verified else "DISCREPANCIES"
            print(
                f"block {result.block}: {box.seen} ballots seen, {len(box.current)} voters "
                f"counted, {box.refusals.total()} rejected, "
                f"result 0x{result.result_hash.hex()[:16]} {verdict}",
                flush=True,
            )
            time.sleep(seconds)
            result = count(result.scan)
    except KeyboardInterrupt:
        return 0 if result.verified else 3
