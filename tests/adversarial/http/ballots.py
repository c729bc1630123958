"""Helpers for attacks over HTTP: ballots as the relayer receives them, and as the chain does."""

from typing import Any

import httpx
from web3.types import TxReceipt

from tests.integration.conftest import World


def post(url: str, body: Any, **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{url}/ballots", json=body, timeout=60, **kwargs)


def lookup(url: str, world: World, nullifier: int | str) -> httpx.Response:
    return httpx.get(
        f"{url}/ballots/{nullifier}", params={"election": world.election.address}, timeout=60
    )


def cast_directly(world: World, body: dict[str, Any]) -> TxReceipt:
    """Sends a relayer-bound ballot to the chain from another account (another relayer)."""
    root, nullifier = (int(value) for value in body["publicSignals"][:2])
    return world.election.cast_ballot(
        world.attacker,
        body["district"],
        root,
        nullifier,
        body["choice"],
        body["revision"],
        [int(value) for value in body["proof"]],
    )
