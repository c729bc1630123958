"""Relayer configuration, from the environment only (no file with a secret to leave lying about).

- `VECHE_RPC_URL`: JSON-RPC endpoint of the chain (required).
- `VECHE_RELAYER_KEYS`: comma-separated hex private keys of the accounts that pay for ballots
  (required; `VECHE_RELAYER_KEY` is accepted for a single key).
- `VECHE_RELAYER_DB`: the SQLite file of the durable queue (required in production; the dev
  default is `out/relayer/relayer.sqlite3`).
- `VECHE_MODE`: `production` (default) or `dev`; production refuses the public dev keys and
  insists on an explicit database path.
- `VECHE_ELECTIONS`: comma-separated election addresses served (required in production; in dev
  mode, empty means any genuine Veche election).
- `VECHE_RATE_LIMIT`: requests per client as `N/SECONDS` (default `60/60`).
- `VECHE_CORS_ORIGINS`: origins allowed to call from a web page (default `*`; no cookies are
  used, so nothing is exposed by it).
- `VECHE_FRONTEND_DIR`: a built voter page to serve at `/app/` (default `frontend/dist`, if it
  exists).
- `VECHE_VERIFICATION_KEY_SHA256`: the verification key's hash that the elections' definition
  pins (required in production); the relayer refuses to start with any other key.
- `VECHE_ENCRYPTED_VERIFICATION_KEY_SHA256`: the same for the encrypted ballot circuit's key
  (`VECHE_ENCRYPTED_ZK_DIR`, else the development election key's circuit); without it in
  production the relayer refuses encrypted ballots.
- `VECHE_BALLOT_GAS`: gas limit of a `castBallot` transaction (default: the spec's
  `gas.castBallot`, `spec/protocol.json`).
- `VECHE_BATCH_SIZE`: the most ballots in one `castBallots` transaction (default 64; 1 sends
  every ballot alone), where the contract has it.
- `VECHE_BATCH_BALLOT_GAS`: gas per ballot of a `castBallots` transaction, on top of the spec's
  `gas.castBallotsBase` for the transaction (default: the spec's `gas.castBallotsPerBallot`);
  batches are kept under EIP-7825's cap (`gas.transactionCap`).
- `VECHE_BATCH_WAIT_MS`: how long a batch that is not full waits for more ballots (default 250).
- `VECHE_REPLACE_SECONDS`: how long a transaction waits unmined, its fees below the chain's,
  before it is signed again with the same nonce and higher fees (default 30).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import is_address, to_checksum_address

from veche.chain.client import dev_accounts
from veche.chain.paths import REPO_ROOT
from veche.errors import VecheError
from veche.protocol.spec import CAST_BALLOT_GAS, CAST_BALLOTS_PER_BALLOT_GAS


class SettingsError(VecheError):
    """The relayer's environment is missing a value or has a bad one."""


@dataclass(frozen=True)
class Settings:
    rpc_url: str
    accounts: tuple[LocalAccount, ...]
    database: Path
    elections: frozenset[str]
    mode: str
    ballot_gas: int
    batch_size: int
    batch_ballot_gas: int
    batch_wait: float
    rate_limit: tuple[int, float]
    cors_origins: tuple[str, ...]
    frontend_dir: Path | None
    verification_key_sha256: str | None = None
    replace_seconds: float = 30.0
    encrypted_key_sha256: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        rpc_url = env.get("VECHE_RPC_URL", "").strip()
        if not rpc_url:
            raise SettingsError("VECHE_RPC_URL is not set")
        mode = env.get("VECHE_MODE", "production").strip()
        if mode not in {"production", "dev"}:
            raise SettingsError(f"VECHE_MODE must be 'production' or 'dev', got {mode!r}")
        return cls(
            rpc_url=rpc_url,
            accounts=_accounts(env, mode),
            database=_database(env, mode),
            elections=_elections(env, mode),
            mode=mode,
            ballot_gas=_integer(env, "VECHE_BALLOT_GAS", str(CAST_BALLOT_GAS)),
            batch_size=_integer(env, "VECHE_BATCH_SIZE", "64"),
            batch_ballot_gas=_integer(
                env, "VECHE_BATCH_BALLOT_GAS", str(CAST_BALLOTS_PER_BALLOT_GAS)
            ),
            batch_wait=_integer(env, "VECHE_BATCH_WAIT_MS", "250") / 1000,
            rate_limit=_rate_limit(env.get("VECHE_RATE_LIMIT", "60/60")),
            cors_origins=tuple(
                o.strip() for o in env.get("VECHE_CORS_ORIGINS", "*").split(",") if o.strip()
            ),
            frontend_dir=_frontend(env),
            verification_key_sha256=env.get("VECHE_VERIFICATION_KEY_SHA256", "").strip().lower()
            or None,
            replace_seconds=float(_integer(env, "VECHE_REPLACE_SECONDS", "30")),
            encrypted_key_sha256=env.get("VECHE_ENCRYPTED_VERIFICATION_KEY_SHA256", "")
            .strip()
            .lower()
            or None,
        )


def _accounts(env: dict[str, str], mode: str) -> tuple[LocalAccount, ...]:
    raw = env.get("VECHE_RELAYER_KEYS", "") or env.get("VECHE_RELAYER_KEY", "")
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise SettingsError("VECHE_RELAYER_KEYS is not set")
    accounts = []
    for position, key in enumerate(keys, start=1):
        try:
            accounts.append(Account.from_key(key))
        except (ValueError, TypeError) as exc:
            raise SettingsError(f"relayer key {position} is not a valid private key") from exc
    if len({a.address for a in accounts}) != len(accounts):
        raise SettingsError("the same relayer key is given twice")
    public = {a.address for a in dev_accounts(10)}
    if mode == "production" and any(a.address in public for a in accounts):
        raise SettingsError("a relayer key is a public development key: refused in production")
    return tuple(accounts)


def _database(env: dict[str, str], mode: str) -> Path:
    path = env.get("VECHE_RELAYER_DB", "").strip()
    if path:
        return Path(path)
    if mode == "production":
        raise SettingsError("VECHE_RELAYER_DB must be set in production mode")
    return REPO_ROOT / "out" / "relayer" / "relayer.sqlite3"


def _elections(env: dict[str, str], mode: str) -> frozenset[str]:
    """The elections served. Production must name them: a relayer open to any contract pays
    for whoever deploys an election (genuine or not) and sends ballots to it."""
    elections = set()
    for raw in env.get("VECHE_ELECTIONS", "").split(","):
        address = raw.strip()
        if address:
            if not is_address(address):
                raise SettingsError(f"VECHE_ELECTIONS has a bad address: {address!r}")
            elections.add(to_checksum_address(address))
    if mode == "production" and not elections:
        raise SettingsError(
            "VECHE_ELECTIONS must name the elections served in production mode"
            " (comma-separated addresses)"
        )
    return frozenset(elections)


def _integer(env: dict[str, str], name: str, default: str) -> int:
    try:
        value = int(env.get(name, default))
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive")
    return value


def _rate_limit(text: str) -> tuple[int, float]:
    count, _, seconds = text.partition("/")
    try:
        limit, period = int(count), float(seconds)
    except ValueError as exc:
        raise SettingsError(f"VECHE_RATE_LIMIT must look like 60/60, got {text!r}") from exc
    if limit <= 0 or period <= 0:
        raise SettingsError(f"VECHE_RATE_LIMIT must be positive, got {text!r}")
    return limit, period


def _frontend(env: dict[str, str]) -> Path | None:
    configured = env.get("VECHE_FRONTEND_DIR", "").strip()
    path = Path(configured) if configured else REPO_ROOT / "frontend" / "dist"
    if configured and not path.is_dir():
        raise SettingsError(f"VECHE_FRONTEND_DIR {path} is not a folder")
    return path if path.is_dir() else None
