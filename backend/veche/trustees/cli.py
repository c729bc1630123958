"""`veche trustee …`: the trustees' commands (the development election key for now)."""

import argparse
import sys
from pathlib import Path


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("trustee", help="make the election key, or decrypt the tally, as a trustee")
    trustee = p.add_subparsers(dest="trustee_command", required=True)

    dev_key = trustee.add_parser(
        "dev-key",
        help="deal a DEVELOPMENT election key and publish all its shares (tests and demo only)",
    )
    dev_key.add_argument("--out", required=True, type=Path, help="folder for the two files")
    dev_key.add_argument("--force", action="store_true", help="replace existing files")
    dev_key.set_defaults(func=run_dev_key)


def run_dev_key(args: argparse.Namespace) -> int:
    from veche.trustees.development import DEALER_WARNING, write_development_key

    key = write_development_key(args.out, force=args.force)
    print(DEALER_WARNING, file=sys.stderr)
    print(
        f"wrote the development election key (hash 0x{key.key_hash().hex()}) and all "
        f"{len(key.trustees)} trustees' shares to {args.out}; {key.threshold} decrypt"
    )
    return 0
