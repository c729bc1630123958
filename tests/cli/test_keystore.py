"""The organizer deploys with a key that is on disk only encrypted, and a wrong password or a
raw key on the command line gets nowhere."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from veche.chain.anvil import Anvil, latest_timestamp
from veche.chain.client import connect, dev_accounts
from veche.chain.paths import REPO_ROOT
from veche.definition.retime import starting_at

pytestmark = [pytest.mark.chain]


def veche(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("VECHE_")}
    return subprocess.run(
        [sys.executable, "-m", "veche.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**base, **env},
    )


def test_deploy_with_an_encrypted_keystore(tmp_path: Path) -> None:
    (organizer,) = dev_accounts(1)
    password = tmp_path / "password"
    password.write_text("correct horse battery staple\n")
    store = tmp_path / "organizer.json"
    made = veche(
        "keystore", "create", "--out", str(store), "--import-env", "VECHE_ORGANIZER_KEY",
        env={
            "VECHE_ORGANIZER_KEY": "0x" + organizer.key.hex().removeprefix("0x"),
            "VECHE_KEYSTORE_PASSWORD_FILE": str(password),
        },
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert organizer.address in made.stdout
    assert store.stat().st_mode & 0o077 == 0
    assert organizer.key.hex().removeprefix("0x") not in store.read_text()
    assert json.loads(store.read_text())["crypto"]["kdf"] == "scrypt"

    with Anvil() as anvil:
        definition = tmp_path / "election.toml"
        template = (REPO_ROOT / "examples" / "demo.toml").read_text()
        definition.write_text(starting_at(template, latest_timestamp(connect(anvil.rpc_url))))
        deploy = ["deploy", "--rpc", anvil.rpc_url, "--definition", str(definition)]
        wrong = tmp_path / "wrong"
        wrong.write_text("not the password")
        refused = veche(
            *deploy,
            env={
                "VECHE_ORGANIZER_KEYSTORE": str(store),
                "VECHE_KEYSTORE_PASSWORD_FILE": str(wrong),
            },
        )
        assert refused.returncode == 1
        assert refused.stderr.strip().splitlines()[-1] == (
            f"veche: error: wrong password for the keystore {store}, or a damaged file"
        )
        done = veche(
            *deploy,
            env={
                "VECHE_ORGANIZER_KEYSTORE": str(store),
                "VECHE_KEYSTORE_PASSWORD_FILE": str(password),
            },
        )
        assert done.returncode == 0, done.stderr
        assert "Election deployed at 0x" in done.stdout
