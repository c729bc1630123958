"""Argument types and helpers shared by the `veche` subcommands."""

import argparse
import os
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from eth_account import Account
from eth_account.signers.local import LocalAccount

from veche.errors import VecheError

if TYPE_CHECKING:
    from veche.chain.election import ElectionContract
    from veche.chain.transactions import TxPolicy


class UsageError(VecheError):
    """A command-line argument or environment variable is missing or malformed."""


def address(value: str) -> str:
    """An argparse type: a checksummed Ethereum address."""
    from eth_utils import is_address, to_checksum_address

    if not is_address(value):
        raise argparse.ArgumentTypeError(f"not an Ethereum address: {value!r}")
    return str(to_checksum_address(value))


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of every command that sends transactions (`policy_from_args` reads them)."""
    group = parser.add_argument_group("network (any EVM JSON-RPC endpoint)")
    group.add_argument(
        "--max-fee-gwei",
        type=_gwei,
        help="the most to pay a gas, base fee and tip together: nothing is sent above it "
        "(required with VECHE_MODE=production)",
    )
    group.add_argument(
        "--priority-fee-gwei", type=_gwei, help="the tip a gas (default: the node's suggestion)"
    )
    group.add_argument(
        "--confirmations",
        type=_positive,
        default=1,
        help="blocks, the transaction's included, before it counts as done (default 1)",
    )
    group.add_argument(
        "--replace-after",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="send again a transaction the node dropped, or replace it with higher fees, "
        "after this long without a receipt (default 60)",
    )


def policy_from_args(args: argparse.Namespace) -> "TxPolicy":
    """The transaction policy of a command's network options; production mode needs a cap."""
    import sys

    from veche.ceremony.pin import production
    from veche.chain.transactions import GWEI, TxPolicy

    if args.max_fee_gwei is None and production():
        raise UsageError("VECHE_MODE=production: give --max-fee-gwei, the most to pay a gas")
    if args.replace_after <= 0:
        raise UsageError(f"--replace-after must be positive, got {args.replace_after}")

    def wei(value: float | None) -> int | None:
        return None if value is None else round(value * GWEI)

    def notify(line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    return TxPolicy(
        max_fee_per_gas=wei(args.max_fee_gwei),
        priority_fee_per_gas=wei(args.priority_fee_gwei),
        confirmations=args.confirmations,
        replace_after=args.replace_after,
        poll=0.02 if args.confirmations <= 1 else 0.5,
        notify=notify,
    )


def _gwei(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of gwei: {value!r}") from None
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"a fee is a finite number of gwei >= 0, got {value}")
    return number


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value!r}")
    return int(value)


def account_from_env(name: str) -> LocalAccount:
    """The account whose private key is in environment variable `name` (keys never go in
    arguments, which end up in shell histories and process lists), or, when `<name>STORE` names
    an encrypted keystore file (the Web3 Secret Storage format of `veche keystore create`,
    geth and most wallets), the key it holds, decrypted with a password typed at a prompt or
    read from the file named by `VECHE_KEYSTORE_PASSWORD_FILE`.

    `VECHE_MODE=production` takes only the keystore, and refuses the public development keys."""
    from veche.ceremony.pin import production

    store = os.environ.get(name + "STORE", "").strip()
    if store:
        return _not_public(account_from_keystore(Path(store)), name + "STORE")
    key = os.environ.get(name, "").strip()
    if production():
        raise UsageError(
            f"VECHE_MODE=production takes keys only from an encrypted keystore: set {name}STORE"
            f" to one (`veche keystore create --import-env {name}`)"
            + (f" and unset {name}" if key else "")
        )
    if not key:
        raise UsageError(f"set {name}STORE to an encrypted keystore file (or {name} to a key)")
    return account_from_raw_env(name)


def account_from_raw_env(name: str) -> LocalAccount:
    """The account of the raw private key in environment variable `name` (to encrypt it into a
    keystore, or in development mode)."""
    key = os.environ.get(name, "").strip()
    if not key:
        raise UsageError(f"{name} is not set")
    try:
        account: LocalAccount = Account.from_key(key)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{name} is not a valid private key") from exc
    return account


def _not_public(account: LocalAccount, source: str) -> LocalAccount:
    """Production mode refuses the development mnemonic's accounts, whose keys are public."""
    from veche.ceremony.pin import production
    from veche.chain.client import dev_accounts

    if production() and account.address in {dev.address for dev in dev_accounts(10)}:
        raise UsageError(
            f"{source} holds {account.address}, a public development key: refused in production"
        )
    return account


def keystore_password(prompt: str) -> str:
    password_file = os.environ.get("VECHE_KEYSTORE_PASSWORD_FILE", "").strip()
    if password_file:
        try:
            return Path(password_file).read_text().rstrip("\n")
        except OSError as exc:
            raise UsageError(
                f"cannot read the password file {password_file}: {exc.strerror}"
            ) from exc
    import getpass

    return getpass.getpass(prompt)


def account_from_keystore(path: Path) -> LocalAccount:
    """The account of an encrypted keystore file; the password is never an argument."""
    import json

    try:
        encrypted = json.loads(path.read_text())
    except OSError as exc:
        raise UsageError(f"cannot read the keystore {path}: {exc.strerror}") from exc
    except ValueError:
        raise UsageError(f"{path} is not a keystore (not JSON)") from None
    try:
        key = Account.decrypt(encrypted, keystore_password(f"password for {path}: "))
    except ValueError:
        raise UsageError(f"wrong password for the keystore {path}, or a damaged file") from None
    except (KeyError, TypeError):
        raise UsageError(f"{path} is not a keystore") from None
    account: LocalAccount = Account.from_key(key)
    return account


def read_bytes(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}") from exc


def write_atomically(path: Path, data: bytes) -> None:
    """Writes `data` so that a crash leaves the old file or the new one, never half of it.

    A path that is a folder, or where nothing may be written, is a `UsageError` naming it."""
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder; give a file name")
    temporary = path.with_suffix(path.suffix + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


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


def require_definition_of(election: "ElectionContract", definition: str) -> None:
    """Refuses a definition file that is not the election's (its hash is on chain): district
    ids would otherwise be read against another election's list and name the wrong district."""
    from veche.definition import definition_hash, load

    given = definition_hash(load(definition))
    on_chain = election.definition_hash()
    if given != on_chain:
        raise UsageError(
            f"{definition} is not this election's definition (it hashes to 0x{given.hex()}, the "
            f"election was deployed with 0x{on_chain.hex()}): refusing to act on it"
        )
