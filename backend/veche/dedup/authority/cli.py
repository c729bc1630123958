"""`veche authority dkg` (key generation without a dealer), `veche authority keygen` (dealer key
split, development only) and `veche authority serve` (one authority)."""

import argparse
import sys
from pathlib import Path

from veche.cli.common import address

DKG_STEPS = ("init", "deal", "check", "answer", "extract", "verify", "finish")


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("authority", help="run a dedup authority, or deal its keys")
    authority = p.add_subparsers(dest="authority_command", required=True)

    dkg = authority.add_parser(
        "dkg",
        help="make the dedup key among the authorities, without a dealer (one step at a time)",
        description="Each authority runs the steps in order, each after every authority has "
        "finished the previous one: init, deal, check, answer, extract, verify, finish. "
        "Messages go to the shared --board folder; secrets stay in --private.",
    )
    add_dkg_arguments(dkg, "authority", "--authorities")
    dkg.set_defaults(func=run_dkg)

    keygen = authority.add_parser(
        "keygen", help="split a fresh dedup key into share files (a dealer: development only)"
    )
    keygen.add_argument("--threshold", type=int, required=True, help="k: authorities needed")
    keygen.add_argument("--shares", type=int, required=True, help="n: authorities in all")
    keygen.add_argument("--out", required=True, help="folder for authorities.json and shares")
    keygen.set_defaults(func=run_keygen)

    serve = authority.add_parser("serve", help="serve blinded evaluations with one share")
    serve.add_argument("--share", required=True, help="this authority's share file")
    serve.add_argument("--rpc", required=True, help="chain node, to check registrars")
    serve.add_argument(
        "--election", required=True, action="append", type=address, help="repeat to serve several"
    )
    serve.add_argument(
        "--counts",
        type=Path,
        help="file keeping the evaluations per registrar across restarts (counts only)",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.set_defaults(func=run_serve)


def add_dkg_arguments(parser: argparse.ArgumentParser, member: str, count_option: str) -> None:
    """The DKG's arguments, for the dedup authorities and for the election's trustees alike."""
    parser.add_argument("step", choices=DKG_STEPS)
    parser.add_argument("--board", required=True, type=Path, help="the shared, public folder")
    parser.add_argument("--private", required=True, type=Path, help=f"this {member}'s own folder")
    parser.add_argument("--index", required=True, type=int, help=f"this {member}'s number, 1..n")
    parser.add_argument("--session", help=f"init, first {member}: a name for this run")
    parser.add_argument("--threshold", type=int, help=f"init, first {member}: k")
    parser.add_argument(count_option, type=int, help=f"init, first {member}: n")


def run_dkg(args: argparse.Namespace) -> int:
    from veche.dedup.dkg_files import run_step

    print(
        run_step(
            args.step,
            args.board,
            args.private,
            args.index,
            session=args.session,
            threshold=args.threshold,
            authorities=args.authorities,
        )
    )
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    from veche.dedup.keygen import DEALER_WARNING, write_key_files

    folder = Path(args.out)
    key_set = write_key_files(folder, args.threshold, args.shares)
    print(DEALER_WARNING, file=sys.stderr)
    print(
        f"wrote {folder / 'authorities.json'} (public: give it to every registrar) and "
        f"{key_set.shares} share files authority-1.json .. authority-{key_set.shares}.json "
        f"(secret: one to each authority); {key_set.threshold} of {key_set.shares} are needed"
    )
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from veche.dedup.authority.server import serve
    from veche.dedup.keys import load_share

    serve(
        load_share(Path(args.share)),
        rpc_url=args.rpc,
        elections=args.election,
        host=args.host,
        port=args.port,
        counts=args.counts,
    )
    return 0
