"""`veche ceremony`: start, contribute, verify, beacon, export (files passed hand to hand)."""

import argparse
import getpass
import time
from pathlib import Path
from typing import TYPE_CHECKING

from veche.keys import DEV_ZK_DIR
from veche.protocol.spec import ZK_WASM

if TYPE_CHECKING:
    from veche.ceremony.steps import Transcript

CIRCUIT_DIR = DEV_ZK_DIR
"""The circuit's r1cs and witness wasm: deterministic outputs of zk/build-circuit.sh, no keys."""


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    from veche.ceremony.ptau import RECOMMENDED_PTAU

    p = sub.add_parser(
        "ceremony",
        help="run the multi-party trusted setup of the ballot circuit",
        description="Phase 2 of the Groth16 setup, with files passed from hand to hand. Sound "
        "if at least one contributor destroyed their secret.",
    )
    ceremony = p.add_subparsers(dest="ceremony_command", required=True)

    def ptau_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--ptau",
            required=True,
            type=Path,
            help=f"powers of tau (recommended: {RECOMMENDED_PTAU})",
        )
        parser.add_argument(
            "--ptau-hash",
            help="BLAKE2b-512 of another powers-of-tau file (default: the recommended file's)",
        )
        parser.add_argument("--r1cs", type=Path, default=CIRCUIT_DIR / "semaphore.r1cs")

    start = ceremony.add_parser("start", help="the organizer's first key, from the powers of tau")
    ptau_options(start)
    start.add_argument("--out", required=True, type=Path, help="the first key, e.g. 0000.zkey")
    start.set_defaults(func=run_start)

    contribute = ceremony.add_parser(
        "contribute", help="add your secret contribution (run on your own machine)"
    )
    contribute.add_argument("previous", type=Path, help="the last key you received")
    contribute.add_argument("out", type=Path, help="your key, to hand to the next person")
    contribute.add_argument("--name", required=True, help="your public name in the transcript")
    contribute.add_argument(
        "--type-entropy",
        action="store_true",
        help="also mix in text you type (not echoed); the system's randomness is always used",
    )
    contribute.set_defaults(func=run_contribute)

    verify = ceremony.add_parser(
        "verify", help="check the transcript from the first key to the last"
    )
    verify.add_argument("zkey", type=Path)
    ptau_options(verify)
    verify.add_argument(
        "--contains", action="append", default=[], help="a contribution hash that must be listed"
    )
    verify.set_defaults(func=run_verify)

    beacon = ceremony.add_parser("beacon", help="finalise with a public random value")
    beacon.add_argument("previous", type=Path)
    beacon.add_argument("out", type=Path)
    beacon.add_argument(
        "--beacon",
        required=True,
        help="public randomness fixed after the last contribution, e.g. the hash of a block "
        "at a height announced in advance",
    )
    beacon.add_argument("--iterations", type=int, default=10, help="hash 2^N times (10..63)")
    beacon.add_argument("--name", default="final beacon")
    beacon.set_defaults(func=run_beacon)

    export = ceremony.add_parser(
        "export", help="verify, then write proving key, verification key and Solidity verifier"
    )
    export.add_argument("zkey", type=Path, help="the finalised key (after the beacon)")
    ptau_options(export)
    export.add_argument("--wasm", type=Path, default=CIRCUIT_DIR / ZK_WASM)
    export.add_argument(
        "--out", required=True, type=Path, help="a new folder (use as VECHE_ZK_DIR)"
    )
    export.set_defaults(func=run_export)


def run_start(args: argparse.Namespace) -> int:
    from veche.ceremony import steps
    from veche.ceremony.ptau import check_ptau

    ptau_hash = check_ptau(args.ptau, args.ptau_hash)
    circuit = steps.start(args.r1cs, args.ptau, args.out)
    print(f"powers of tau BLAKE2b-512 {ptau_hash}")
    print(f"circuit hash {circuit}")
    print(f"wrote {args.out}: hand it to the first contributor")
    return 0


def run_contribute(args: argparse.Namespace) -> int:
    from veche.ceremony import steps

    typed = getpass.getpass("type random text, then Enter: ") if args.type_entropy else ""
    started = time.perf_counter()
    digest = steps.contribute(args.previous, args.out, args.name, typed)
    print(f"contribution hash {digest}")
    print(
        f"wrote {args.out} in {time.perf_counter() - started:.1f} s: publish the hash above, "
        "hand the file on, and restart this machine"
    )
    return 0


def _verified(args: argparse.Namespace) -> "tuple[str, Transcript]":
    from veche.ceremony import steps
    from veche.ceremony.errors import TranscriptInvalid
    from veche.ceremony.ptau import check_ptau

    ptau_hash = check_ptau(args.ptau, args.ptau_hash)
    transcript = steps.verify(args.r1cs, args.ptau, args.zkey)
    listed = {c.hash for c in transcript.contributions}
    for wanted in getattr(args, "contains", []):
        if wanted.strip().lower().replace(" ", "") not in listed:
            raise TranscriptInvalid(f"contribution {wanted[:16]}... is not in {args.zkey}")
    return ptau_hash, transcript


def run_verify(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    ptau_hash, transcript = _verified(args)
    print(f"powers of tau BLAKE2b-512 {ptau_hash}")
    print(f"circuit hash {transcript.circuit_hash}")
    for c, record in zip(transcript.contributions, transcript.record_hashes(), strict=True):
        extra = f" (beacon {c.beacon}, 2^{c.iterations})" if c.beacon else ""
        print(f"#{c.index} {c.name}: {c.hash}{extra}")
        print(f"    record {record} (covers every name and hash up to this one)")
    state = "finalised" if transcript.finalised else "not finalised (no beacon yet)"
    print(f"transcript OK, {state}, verified in {time.perf_counter() - started:.1f} s")
    return 0


def run_beacon(args: argparse.Namespace) -> int:
    from veche.ceremony import steps

    digest = steps.beacon(args.previous, args.out, args.beacon, args.iterations, args.name)
    print(f"beacon contribution hash {digest}")
    print(f"wrote {args.out}: verify it, then export")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from veche.ceremony import steps

    ptau_hash, transcript = _verified(args)
    record = steps.export(
        zkey=args.zkey,
        wasm=args.wasm,
        out=args.out,
        transcript=transcript,
        ptau_hash=ptau_hash,
    )
    print(f"verification key sha256 {record['verificationKeySha256']}")
    print(
        f"wrote {args.out}/ (semaphore.zkey, verification_key.json, Groth16Verifier.sol, "
        "transcript.json, SHA256SUMS): pin the hash above in the election definition"
    )
    return 0
