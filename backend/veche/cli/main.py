"""`veche`: one entry point, one subcommand per job; bad input gets one line, not a traceback."""

import argparse
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from veche.errors import VecheError

if TYPE_CHECKING:
    from veche.crypto.identity import Identity


class UsageError(VecheError):
    """A command-line argument is malformed."""


def _address(value: str) -> str:
    from eth_utils import is_address, to_checksum_address

    if not is_address(value):
        raise argparse.ArgumentTypeError(f"not an Ethereum address: {value!r}")
    return str(to_checksum_address(value))


def _key_from_env(name: str) -> str:
    key = os.environ.get(name, "").strip()
    if not key:
        raise UsageError(f"set {name} to the account's private key (never pass keys as arguments)")
    return key


def cmd_recount(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.keys import verification_key_path
    from veche.recount import recount
    from veche.recount.report import render

    key = Path(args.verification_key) if args.verification_key else verification_key_path()
    result = recount(connect(args.rpc), args.election, key)
    print(render(result))
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(out.suffix + ".tmp")
        tmp.write_text(json.dumps(result.record(), indent=2) + "\n")
        tmp.replace(out)
        print(f"Recount record written to {out}")
    return 0 if result.verified else 3


def cmd_relayer_serve(args: argparse.Namespace) -> int:
    from veche.relayer.server import serve

    serve(args.host, args.port)
    return 0


def cmd_identity_new(args: argparse.Namespace) -> int:
    from veche.crypto.identity import Identity

    out = Path(args.out)
    if out.exists():
        raise UsageError(f"{out} already exists: refusing to overwrite an identity")
    identity = Identity.generate()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(identity.export() + "\n")
    print(f"Identity saved to {out} (keep it secret). Commitment for your registrar:")
    print(identity.commitment)
    return 0


def _load_identity(path: str) -> "Identity":
    from veche.crypto.identity import Identity

    try:
        text = Path(path).read_text().strip()
    except OSError as exc:
        raise UsageError(f"cannot read identity file {path}: {exc.strerror}") from exc
    return Identity.import_(text)


def cmd_identity_show(args: argparse.Namespace) -> int:
    print(_load_identity(args.identity).commitment)
    return 0


def cmd_vote(args: argparse.Namespace) -> int:
    import httpx

    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.crypto.prover import Prover
    from veche.voter import prepare_ballots, send_ballot

    identity = _load_identity(args.identity)
    election = ElectionContract(connect(args.rpc), args.election)
    options = election.options()
    if not 0 <= args.choice < len(options):
        raise UsageError(f"choice must be between 0 and {len(options) - 1}")
    with Prover() as prover:
        (body,) = prepare_ballots(election, [(identity, args.choice)], prover)
    with httpx.Client() as client:
        receipt = send_ballot(client, args.relayer, body)
    print(f"Ballot for {options[args.choice]!r} accepted (revision {receipt['revision']}).")
    print(json.dumps(receipt, indent=2))
    return 0


def cmd_ballot(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract

    election = ElectionContract(connect(args.rpc), args.election)
    stored = election.ballot_of(int(args.nullifier))
    if stored.revision == 0:
        print("No ballot is counted for this nullifier.")
        return 1
    label = election.options()[stored.choice]
    print(f"Counted: {label!r}, revision {stored.revision}, cast at {stored.cast_at}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veche", description="Anonymous, verifiable elections on a public ledger."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("recount", help="recount an election from public chain data alone")
    p.add_argument("--rpc", required=True, help="JSON-RPC URL of the chain")
    p.add_argument("--election", required=True, type=_address, help="Election contract address")
    p.add_argument("--json", help="write the recount record (JSON) to this file")
    p.add_argument("--verification-key", help="snarkjs verification_key.json (default: dev key)")
    p.set_defaults(func=cmd_recount)

    p = sub.add_parser("relayer", help="run a relayer")
    relayer_sub = p.add_subparsers(dest="relayer_command", required=True)
    serve = relayer_sub.add_parser(
        "serve", help="serve POST /ballots (configured by VECHE_* environment variables)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_relayer_serve)

    p = sub.add_parser("identity", help="create or show a voter identity")
    identity_sub = p.add_subparsers(dest="identity_command", required=True)
    new = identity_sub.add_parser("new", help="create an identity and save it to a file")
    new.add_argument("--out", required=True)
    new.set_defaults(func=cmd_identity_new)
    show = identity_sub.add_parser("show", help="print an identity's public commitment")
    show.add_argument("identity")
    show.set_defaults(func=cmd_identity_show)

    p = sub.add_parser("vote", help="prove and send a ballot through a relayer")
    p.add_argument("--rpc", required=True)
    p.add_argument("--election", required=True, type=_address)
    p.add_argument("--identity", required=True, help="file written by 'veche identity new'")
    p.add_argument("--choice", required=True, type=int, help="index of the option")
    p.add_argument("--relayer", required=True, help="relayer base URL")
    p.set_defaults(func=cmd_vote)

    p = sub.add_parser("ballot", help="show the ballot counted for a receipt's nullifier")
    p.add_argument("--rpc", required=True)
    p.add_argument("--election", required=True, type=_address)
    p.add_argument("--nullifier", required=True)
    p.set_defaults(func=cmd_ballot)

    from veche.definition.cli import add_parser as add_definition_parser
    from veche.seats.cli import add_parser as add_seats_parser

    add_seats_parser(sub)
    add_definition_parser(sub)
    return parser


def one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Shows a warning as one line a person reads, without the source line Python adds."""
    print(f"veche: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    warnings.showwarning = one_line_warning
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except VecheError as exc:
        print(f"veche: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("veche: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("VECHE_DEBUG"):
            raise
        print(f"veche: internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        print("veche: set VECHE_DEBUG=1 to see the traceback", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
