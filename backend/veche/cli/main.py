"""`veche`: one entry point, one subcommand per job; bad input gets one line, not a traceback."""

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

from veche.errors import VecheError


def _relayer_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("relayer", help="run a relayer")
    relayer = p.add_subparsers(dest="relayer_command", required=True)
    serve = relayer.add_parser(
        "serve", help="serve POST /ballots (configured by VECHE_* environment variables)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from veche.relayer.server import serve

    serve(args.host, args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from veche.ceremony.cli import add_parser as add_ceremony_parser
    from veche.cli import (
        keystore,
        organizer,
        recount,
        register,
        registrars,
        relayers,
        voter,
        voter_desk,
    )
    from veche.dedup.authority.cli import add_parser as add_authority_parser
    from veche.definition.cli import add_parser as add_definition_parser
    from veche.registrar.cli import add_parser as add_registrar_parser
    from veche.seats.cli import add_parser as add_seats_parser
    from veche.trustees.cli import add_parser as add_trustee_parser

    parser = argparse.ArgumentParser(
        prog="veche", description="Anonymous, verifiable elections on a public ledger."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    recount.add_parser(sub)
    register.add_parser(sub)
    organizer.add_parsers(sub)
    registrars.add_parser(sub)
    relayers.add_parser(sub)
    add_registrar_parser(sub)
    add_authority_parser(sub)
    voter.add_parsers(sub)
    voter_desk.add_parser(sub)
    _relayer_parser(sub)
    add_seats_parser(sub)
    add_definition_parser(sub)
    add_ceremony_parser(sub)
    add_trustee_parser(sub)
    keystore.add_parser(sub)
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
    args = build_parser().parse_args(argv)
    try:
        if hasattr(args, "max_fee_gwei"):  # a command that sends transactions
            from veche.chain.transactions import use_policy
            from veche.cli.common import policy_from_args

            with use_policy(policy_from_args(args)):
                return int(args.func(args))
        return int(args.func(args))
    except VecheError as exc:
        print(f"veche: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("veche: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`veche recount --follow 1 | head -3`): stop quietly,
        # and keep Python from failing again when it flushes standard output at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # the last line of defence against a traceback
        if os.environ.get("VECHE_DEBUG"):
            raise
        print(f"veche: internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        print("veche: set VECHE_DEBUG=1 to see the traceback", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
