"""`veche keystore create`: an encrypted key file for the organizer, a registrar or a relayer.

Commands that sign read `VECHE_ORGANIZER_KEYSTORE` (and the like) instead of a raw key: the key
is on disk only encrypted (scrypt and AES-128-CTR, the Web3 Secret Storage format), and the
password is typed at a prompt or read from `VECHE_KEYSTORE_PASSWORD_FILE`, never an argument.
"""

import argparse
import json
import os
from pathlib import Path


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("keystore", help="make an encrypted key file (never a raw key)")
    keystore = p.add_subparsers(dest="keystore_command", required=True)
    create = keystore.add_parser("create", help="a new account, or one imported from --import-env")
    create.add_argument("--out", required=True, type=Path)
    create.add_argument(
        "--import-env", metavar="NAME", help="encrypt the key held in environment variable NAME"
    )
    create.set_defaults(func=run_create)


def run_create(args: argparse.Namespace) -> int:
    from eth_account import Account

    from veche.cli.common import UsageError, account_from_raw_env, keystore_password

    if args.out.exists():
        raise UsageError(f"{args.out} exists already: refusing to overwrite a keystore")
    account = account_from_raw_env(args.import_env) if args.import_env else Account.create()
    password = keystore_password("new keystore password: ")
    if not os.environ.get("VECHE_KEYSTORE_PASSWORD_FILE") and password != keystore_password(
        "again: "
    ):
        raise UsageError("the two passwords differ")
    if len(password) < 12:
        raise UsageError("use a password of at least 12 characters")
    encrypted = Account.encrypt(account.key, password)
    descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(encrypted, handle)
    print(f"wrote {args.out} for account {account.address}")
    return 0
