"""The definition pins its verification key; production mode refuses the development key.

Every part that loads a key (deploy, relayer, page build, recount) goes through `check_key`; the
recount warns instead of refusing, so that it can still judge a bad election.
"""

import json
import os
import subprocess
import warnings
from pathlib import Path

import pytest

from tests.definition.texts import VALID
from veche.ceremony.pin import (
    ENCRYPTED_DEV_VERIFICATION_KEY,
    DevKeyInProduction,
    DevKeyRecountWarning,
    KeyNotPinned,
    check_key,
    development_key_sha256,
    key_sha256,
)
from veche.chain.deploy import election_key_hash
from veche.crypto.prover import default_node
from veche.definition import canonical_json, definition_hash, parse_text
from veche.errors import VecheError
from veche.keys import DEV_ZK_DIR
from veche.recount.keycheck import recount_key
from veche.trustees.development import DEVELOPMENT_KEY

DEV_KEY = DEV_ZK_DIR / "verification_key.json"
PIN = "ab" * 32


@pytest.fixture
def ceremony_key(tmp_path: Path) -> Path:
    """A key other than the development one (the development key with two IC points swapped)."""
    key = json.loads(DEV_KEY.read_text())
    key["IC"][1], key["IC"][2] = key["IC"][2], key["IC"][1]
    path = tmp_path / "verification_key.json"
    path.write_text(json.dumps(key))
    return path


def test_a_pinned_key_enters_the_definition_hash_and_an_absent_one_changes_nothing() -> None:
    plain, problems = parse_text(VALID)
    assert plain is not None and not problems and plain.verification_key_sha256 is None
    assert b"verification_key" not in canonical_json(plain)
    pinned, problems = parse_text(f'verification_key_sha256 = "{PIN}"\n' + VALID)
    assert pinned is not None and not problems
    assert pinned.verification_key_sha256 == PIN
    assert definition_hash(pinned) != definition_hash(plain)


@pytest.mark.parametrize("value", ['"AB"', '"' + "AB" * 32 + '"', "12", '"0x' + "ab" * 32 + '"'])
def test_a_malformed_pin_is_a_definition_problem(value: str) -> None:
    definition, problems = parse_text(f"verification_key_sha256 = {value}\n" + VALID)
    assert definition is None
    assert [p.path for p in problems] == ["verification_key_sha256"]


def test_another_key_than_the_pinned_one_is_refused(ceremony_key: Path) -> None:
    with pytest.raises(KeyNotPinned, match=rf"relayer: .* pins {PIN}"):
        check_key(ceremony_key, PIN, who="relayer")
    assert check_key(ceremony_key, key_sha256(ceremony_key), who="deploy") == key_sha256(
        ceremony_key
    )


def test_production_refuses_the_development_key_and_an_unpinned_definition(
    ceremony_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check_key(DEV_KEY, None, who="deploy") == development_key_sha256()
    monkeypatch.setenv("VECHE_MODE", "production")
    with pytest.raises(DevKeyInProduction, match=r"deploy: .*DEVELOPMENT key"):
        check_key(DEV_KEY, development_key_sha256(), who="deploy")
    with pytest.raises(DevKeyInProduction, match="pins its verification key"):
        check_key(ceremony_key, None, who="page")
    assert check_key(ceremony_key, key_sha256(ceremony_key), who="page")


def test_production_refuses_the_encrypted_circuits_development_key_even_when_pinned() -> None:
    pinned = key_sha256(ENCRYPTED_DEV_VERIFICATION_KEY)
    assert check_key(ENCRYPTED_DEV_VERIFICATION_KEY, pinned, who="deploy") == pinned
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VECHE_MODE", "production")
        with pytest.raises(DevKeyInProduction, match=r"relayer: .*DEVELOPMENT key"):
            check_key(ENCRYPTED_DEV_VERIFICATION_KEY, pinned, who="relayer")
        with pytest.warns(DevKeyRecountWarning, match="DEVELOPMENT VERIFICATION KEY"):
            recount_key(ENCRYPTED_DEV_VERIFICATION_KEY, pinned)


def test_production_refuses_to_deploy_with_the_development_election_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its trustee shares are in the repository: anyone could decrypt every ballot."""
    (tmp_path / "key.json").write_bytes(DEVELOPMENT_KEY.read_bytes())
    text = VALID.replace(
        'title = "Test election"',
        'ballot_secrecy = "encrypted"\nelection_key = "key.json"\ntitle = "Test election"',
    )
    definition, problems = parse_text(text, tmp_path)
    assert problems == [] and definition is not None
    assert election_key_hash(definition) is not None
    monkeypatch.setenv("VECHE_MODE", "production")
    with pytest.raises(DevKeyInProduction, match="DEVELOPMENT election key"):
        election_key_hash(definition)


def test_the_recount_warns_loudly_about_the_development_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VECHE_MODE", "production")
    with pytest.warns(DevKeyRecountWarning, match="DEVELOPMENT VERIFICATION KEY"):
        assert recount_key(DEV_KEY, None) == development_key_sha256()


def test_the_recount_refuses_another_key_than_the_pinned_one(ceremony_key: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(KeyNotPinned, match="recount"):
            recount_key(ceremony_key, PIN)


def test_an_unknown_mode_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VECHE_MODE", "prod")
    with pytest.raises(VecheError, match=r"VECHE_MODE=.prod.: must be one of"):
        check_key(DEV_KEY, None, who="deploy")


def test_the_page_build_refuses_the_development_key_in_production(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "VECHE_MODE": "production"}
    env.pop("VECHE_ZK_DIR", None)
    build = [default_node(), str(root / "frontend" / "build.mjs"), "--out", str(tmp_path / "a")]
    done = subprocess.run(build, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1 and "DEVELOPMENT key" in done.stderr
    assert not (tmp_path / "a").exists()
    env = {**os.environ, "VECHE_MODE": "dev", "VECHE_VERIFICATION_KEY_SHA256": PIN}
    done = subprocess.run(build, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1 and f"the definition pins {PIN}" in done.stderr


def test_the_relayer_refuses_to_start_with_another_key_or_the_development_key(
    tmp_path: Path, ceremony_key: Path
) -> None:
    from veche.relayer.app import create_app
    from veche.relayer.settings import Settings

    env = {
        "VECHE_RPC_URL": "http://127.0.0.1:9",  # never reached: the key is checked first
        "VECHE_RELAYER_KEYS": "0x" + "7e" * 32,
        "VECHE_RELAYER_DB": str(tmp_path / "relayer.sqlite3"),
        "VECHE_MODE": "production",
        "VECHE_ELECTIONS": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    }
    with pytest.raises(DevKeyInProduction, match=r"relayer: .*DEVELOPMENT key"):
        create_app(Settings.from_env(env))
    pinned = {**env, "VECHE_MODE": "dev", "VECHE_VERIFICATION_KEY_SHA256": PIN}
    with pytest.raises(KeyNotPinned, match=f"relayer: .* pins {PIN}"):
        create_app(Settings.from_env(pinned))
    assert not (tmp_path / "relayer.sqlite3").exists()
