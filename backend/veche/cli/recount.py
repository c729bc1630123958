"""`veche recount`: the whole result from public chain data alone."""

import argparse
import json
from pathlib import Path

from veche.cli.common import address, write_atomically


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("recount", help="recount an election from public chain data alone")
    p.add_argument("--rpc", required=True, help="JSON-RPC URL of the chain")
    p.add_argument("--election", required=True, type=address, help="Election contract address")
    p.add_argument("--definition", required=True, help="the election's definition (TOML)")
    p.add_argument("--json", help="write the recount record (JSON) to this file")
    p.add_argument(
        "--result", help="write the canonical result (the bytes whose hash is published)"
    )
    p.add_argument("--chart", help="draw votes and seats per district to this SVG file")
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
    p.add_argument("--verification-key", help="snarkjs verification_key.json (default: dev key)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.definition import load
    from veche.keys import verification_key_path
    from veche.recount import recount
    from veche.recount.chart import render_svg
    from veche.recount.report import render
    from veche.recount.result import canonical_result

    definition = load(args.definition)
    key = Path(args.verification_key) if args.verification_key else verification_key_path()
    result = recount(
        connect(args.rpc),
        args.election,
        definition,
        key,
        exclude=args.exclude,
        ignore_exclusions=args.ignore_exclusions,
    )
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
    return 0 if result.verified else 3
