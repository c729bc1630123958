"""Relayer configuration, from the environment only (no file with a secret to leave lying about).

| variable | meaning |
| --- | --- |
| `VECHE_RPC_URL` | JSON-RPC endpoint of the chain (required) |
| `VECHE_RELAYER_KEY` | hex private key of the account that pays for ballots (required) |
| `VECHE_ELECTIONS` | comma-separated addresses this relayer serves (empty: any Veche election) |
| `VECHE_MODE` | `production` (default) or `dev`; production refuses a well-known dev key |
| `VECHE_BALLOT_GAS` | gas limit of a `castBallot` transaction (default 600000) |
"""

import os
from dataclasses import dataclass

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import is_address, to_checksum_address

from veche.chain.client import dev_accounts
from veche.errors import VecheError


class SettingsError(VecheError):
    """The relayer's environment is missing a value or has a bad one."""


@dataclass(frozen=True)
class Settings:
    rpc_url: str
    account: LocalAccount
    elections: frozenset[str]
    mode: str
    ballot_gas: int

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        rpc_url = env.get("VECHE_RPC_URL", "").strip()
        if not rpc_url:
            raise SettingsError("VECHE_RPC_URL is not set")
        mode = env.get("VECHE_MODE", "production").strip()
        if mode not in {"production", "dev"}:
            raise SettingsError(f"VECHE_MODE must be 'production' or 'dev', got {mode!r}")
        key = env.get("VECHE_RELAYER_KEY", "").strip()
        if not key:
            raise SettingsError("VECHE_RELAYER_KEY is not set")
        try:
            account: LocalAccount = Account.from_key(key)
        except (ValueError, TypeError) as exc:
            raise SettingsError("VECHE_RELAYER_KEY is not a valid private key") from exc
        if mode == "production" and account.address in {a.address for a in dev_accounts(10)}:
            raise SettingsError(
                "VECHE_RELAYER_KEY is a public development key: refused in production mode"
            )
        elections = set()
        for raw in env.get("VECHE_ELECTIONS", "").split(","):
            if raw.strip():
                if not is_address(raw.strip()):
                    raise SettingsError(f"VECHE_ELECTIONS has a bad address: {raw.strip()!r}")
                elections.add(to_checksum_address(raw.strip()))
        try:
            ballot_gas = int(env.get("VECHE_BALLOT_GAS", "600000"))
        except ValueError as exc:
            raise SettingsError("VECHE_BALLOT_GAS must be an integer") from exc
        return cls(rpc_url, account, frozenset(elections), mode, ballot_gas)
