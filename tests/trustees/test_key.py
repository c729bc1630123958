"""The election key file and trustee share files (`veche.trustees.key`), and the committed
development key (`veche.trustees.development`)."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak

from veche.cli.main import main
from veche.dedup.group import GENERATOR, mul, to_json
from veche.trustees.development import (
    DEVELOPMENT_KEY,
    DevElectionKeyWarning,
    deal,
    development_election_key,
    development_trustee_shares,
)
from veche.trustees.errors import ElectionKeyError
from veche.trustees.key import ElectionKey, TrusteeShare


def dev_key() -> ElectionKey:
    with pytest.warns(DevElectionKeyWarning, match="DEVELOPMENT election key"):
        return development_election_key()


def test_the_committed_development_key_has_3_trustees_threshold_2_and_matching_shares() -> None:
    key = dev_key()
    assert (key.threshold, [t.index for t in key.trustees]) == (2, [1, 2, 3])
    with pytest.warns(DevElectionKeyWarning):
        shares = development_trustee_shares()
    assert [s.index for s in shares] == [1, 2, 3]
    assert all(s.election_key == key for s in shares)


def test_key_hash_is_keccak_of_the_16_option_keys_as_1024_bytes() -> None:
    key = dev_key()
    data = b"".join(p.x.to_bytes(32, "big") + p.y.to_bytes(32, "big") for p in key.option_keys)
    assert len(data) == 1024
    assert key.key_hash() == keccak(data)


def test_a_verification_share_off_the_polynomial_is_refused_naming_the_option() -> None:
    data = dev_key().to_json()
    data["verificationShares"]["3"][7] = to_json(mul(GENERATOR, 12345))
    with pytest.raises(ElectionKeyError, match="option key 7"):
        ElectionKey.from_json(data)


def test_a_point_off_the_curve_is_refused() -> None:
    data = dev_key().to_json()
    data["optionKeys"][2] = ["1", "2"]
    with pytest.raises(ElectionKeyError, match="option key 2"):
        ElectionKey.from_json(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="veche-dedup-key/v1"), "not a veche-election-key/v1"),
        (lambda d: d.update(threshold=4), "threshold"),
        (lambda d: d["optionKeys"].pop(), "16 option keys"),
        (lambda d: d.pop("trustees"), "malformed election key"),
        (lambda d: d["trustees"].pop(0), "numbered 1..2"),
    ],
)
def test_malformed_election_keys_are_refused_with_a_reason(
    change: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = dev_key().to_json()
    change(data)
    with pytest.raises(ElectionKeyError, match=message):
        ElectionKey.from_json(data)


def test_load_says_which_file_is_missing_or_not_json(tmp_path: Path) -> None:
    with pytest.raises(ElectionKeyError, match=r"cannot read election key .*missing\.json"):
        ElectionKey.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ElectionKeyError, match="is not JSON"):
        ElectionKey.load(tmp_path / "bad.json")


def test_a_share_that_does_not_match_its_verification_share_is_refused(tmp_path: Path) -> None:
    key, shares = deal(2, ("a", "b", "c"))
    data = shares[1].to_json()
    data["secretShares"][4] = str(int(data["secretShares"][4]) + 1)
    with pytest.raises(ElectionKeyError, match="trustee 2's share of option key 4"):
        TrusteeShare.from_json(data)
    shares[0].save(tmp_path / "t1.json")
    assert (tmp_path / "t1.json").stat().st_mode & 0o077 == 0
    assert TrusteeShare.load(tmp_path / "t1.json").secrets == shares[0].secrets
    with pytest.raises(ElectionKeyError, match="exists already"):
        shares[0].save(tmp_path / "t1.json")
    key.save(tmp_path / "key.json")
    assert ElectionKey.load(tmp_path / "key.json") == key
    with pytest.raises(ElectionKeyError, match="exists already"):
        key.save(tmp_path / "key.json")


def test_dev_key_command_writes_both_files_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trustee", "dev-key", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert "WARNING: a dealer made this election key" in out.err
    key = ElectionKey.load(tmp_path / DEVELOPMENT_KEY.name)
    assert f"0x{key.key_hash().hex()}" in out.out
    bundle = json.loads((tmp_path / "development-trustee-shares.json").read_text())
    assert len(bundle["shares"]) == 3
    assert main(["trustee", "dev-key", "--out", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err
