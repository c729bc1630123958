"""`spec/protocol.json` is the one source of the protocol's constants: Python reads it, the
relayer's error codes and the reference model's rejection reasons are in it with sentences in
both languages, and the zk artifact paths it names exist."""

import json
import re
from pathlib import Path

import pytest

from veche.chain.paths import REPO_ROOT
from veche.crypto import hashing, imt
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.keys import DEV_ZK_DIR, verification_key_path, wasm_path, zkey_path
from veche.protocol import SPEC, Phase, Rejection
from veche.protocol.spec import SPEC_PATH
from veche.relayer.errors import RelayerRefusal

RELAYER_SOURCES = sorted((REPO_ROOT / "backend" / "veche" / "relayer").rglob("*.py"))


def test_the_spec_is_one_json_file_in_the_repository() -> None:
    assert SPEC_PATH == REPO_ROOT / "spec" / "protocol.json"
    assert json.loads(SPEC_PATH.read_text()) == SPEC


def test_python_phases_are_the_specs() -> None:
    assert [(p.value, p.contract_index, p.opens) for p in Phase] == [
        (entry["name"], entry["contract"], entry["opens"]) for entry in SPEC["phases"]
    ]


def test_python_encodings_use_the_specs_layout() -> None:
    assert str(SNARK_SCALAR_FIELD) == SPEC["encoding"]["snarkScalarField"]
    assert hashing.pack_message(choice=1, revision=2, district=3) == (3 << 64) | (2 << 32) | 1
    layout, register = SPEC["encoding"]["message"], SPEC["register"]
    assert (2 ** layout["fieldBits"] - 1, register["depth"]) == (hashing.UINT32_MAX, imt.MAX_DEPTH)
    assert imt.MAX_LEAVES == register["maxMembers"] == 2**imt.MAX_DEPTH


def test_every_rejection_is_a_relayer_error_code() -> None:
    for rejection in Rejection:
        refusal = RelayerRefusal(str(rejection))
        assert refusal.detail == SPEC["relayerErrors"][str(rejection)]["detail"]


def test_every_code_the_relayer_answers_with_is_in_the_spec() -> None:
    """Reads every `RelayerRefusal("code"...)` in the relayer's sources: a code the page would
    have no sentence for fails here before a voter sees a raw code."""
    used = {
        match
        for source in RELAYER_SOURCES
        for match in re.findall(r'RelayerRefusal\(\s*"([a-z_]+)"', source.read_text())
    }
    assert {"malformed", "too_large", "rate_limited", "internal"} <= used
    assert used <= set(SPEC["relayerErrors"])


def test_every_relayer_error_has_a_sentence_in_both_languages() -> None:
    for code, entry in SPEC["relayerErrors"].items():
        assert "{detail}" in entry["en"] and "{detail}" in entry["ru"], code
        assert re.search("[\u0430-\u044f]", entry["ru"]), code  # Cyrillic a to ya


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError, match="not_a_code"):
        RelayerRefusal("not_a_code")


def test_zk_artifacts_are_found_where_the_spec_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC["zk"]["envVar"], raising=False)
    with pytest.warns(UserWarning, match="DEVELOPMENT"):
        assert verification_key_path() == DEV_ZK_DIR / SPEC["zk"]["verificationKey"]
    for path in (DEV_ZK_DIR / SPEC["zk"][key] for key in ("wasm", "zkey", "verificationKey")):
        assert path.is_file(), path


def test_the_zk_folder_is_configured_by_one_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SPEC["zk"]["envVar"], str(tmp_path))
    assert (wasm_path(), zkey_path(), verification_key_path()) == (
        tmp_path / "semaphore.wasm",
        tmp_path / "semaphore.zkey",
        tmp_path / "verification_key.json",
    )


def test_the_suite_runs_in_random_order(pytestconfig: pytest.Config) -> None:
    """pytest-randomly shuffles every run (`make test`): no test may depend on another's state."""
    assert pytestconfig.pluginmanager.hasplugin("randomly")
