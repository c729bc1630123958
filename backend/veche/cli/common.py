"""Argument types and helpers shared by the `veche` subcommands."""

import argparse
import os
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from veche.errors import VecheError


class UsageError(VecheError):
    """A command-line argument or environment variable is missing or malformed."""


def address(value: str) -> str:
    """An argparse type: a checksummed Ethereum address."""
    from eth_utils import is_address, to_checksum_address

    if not is_address(value):
        raise argparse.ArgumentTypeError(f"not an Ethereum address: {value!r}")
    return str(to_checksum_address(value))


def account_from_env(name: str) -> LocalAccount:
    """The account whose private key is in environment variable `name` (keys never go in
    arguments, which end up in shell histories and process lists)."""
    key = os.environ.get(name, "").strip()
    if not key:
        raise UsageError(f"set {name} to the account's private key")
    try:
        account: LocalAccount = Account.from_key(key)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{name} is not a valid private key") from exc
    return account


def read_bytes(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}") from exc


def write_atomically(path: Path, data: bytes) -> None:
    """Writes `data` so that a crash leaves the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def district_number(value: str, definition: str | None) -> int:
    """A district's on-chain number: `value` itself if it is a number, else the position of the
    district with that id in the definition file."""
    if value.isdigit():
        return int(value)
    if definition is None:
        raise UsageError(f"district {value!r} is not a number: give --definition to use ids")
    from veche.definition import load

    ids = [district.id for district in load(definition).districts]
    if value not in ids:
        raise UsageError(f"no district {value!r} in the definition ({', '.join(ids)})")
    return ids.index(value)
