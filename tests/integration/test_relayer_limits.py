"""The relayer's limits: per-client rate limiting and production settings that refuse dev keys."""

import os
import subprocess
import sys

import httpx
import pytest

from .conftest import make_relayer

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def test_a_client_over_its_budget_is_told_to_slow_down(world, tmp_path) -> None:
    relayer = make_relayer(world, tmp_path, VECHE_RATE_LIMIT="3/60").start()
    try:
        url = f"{relayer.url}/ballots/1"
        answers = [
            httpx.get(url, params={"election": world.election.address}).status_code
            for _ in range(5)
        ]
        assert answers[:3] == [404, 404, 404]
        assert answers[3:] == [429, 429]
        assert httpx.get(f"{relayer.url}/health").status_code == 200  # health is not limited
    finally:
        relayer.stop()
    assert "127.0.0.1" not in relayer.log.read_text()


FRESH_KEY = "0x" + "5a" * 32
"""A key nobody published: production mode accepts it."""


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "public development key: refused in production"),
        ({"VECHE_RELAYER_KEYS": FRESH_KEY}, "VECHE_RELAYER_DB must be set in production mode"),
        ({"VECHE_RELAYER_KEYS": "0x1234"}, "relayer key 1 is not a valid private key"),
        ({"VECHE_RELAYER_KEYS": ""}, "VECHE_RELAYER_KEYS is not set"),
        ({"VECHE_MODE": "test"}, "VECHE_MODE must be"),
        ({"VECHE_MODE": "dev", "VECHE_RATE_LIMIT": "lots"}, "VECHE_RATE_LIMIT must look like"),
        ({"VECHE_MODE": "dev", "VECHE_ELECTIONS": "0x12"}, "VECHE_ELECTIONS has a bad address"),
    ],
)
def test_unsafe_or_malformed_settings_are_refused(world, env, message) -> None:
    dev_key = "0x" + world.relayer_accounts[0].key.hex().removeprefix("0x")
    run = subprocess.run(
        [sys.executable, "-m", "veche.cli.main", "relayer", "serve", "--port", "1"],
        env={**os.environ, "VECHE_RPC_URL": world.rpc_url, "VECHE_RELAYER_KEYS": dev_key, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert message in run.stderr and "Traceback" not in run.stderr
