"""Dealer key files: public key set and secret shares, checked when they are read."""

import json
import stat
from pathlib import Path

import pytest

from veche.dedup.errors import InvalidShares, KeyFileError
from veche.dedup.group import GENERATOR, mul, to_json
from veche.dedup.keygen import write_key_files
from veche.dedup.keys import load_key_set, load_share


def test_keygen_writes_a_public_key_set_and_one_secret_file_per_authority(tmp_path: Path) -> None:
    key_set = write_key_files(tmp_path, threshold=2, shares=3)
    assert load_key_set(tmp_path / "authorities.json") == key_set
    for index in (1, 2, 3):
        path = tmp_path / f"authority-{index}.json"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        share_file = load_share(path)
        assert share_file.share.index == index
        assert mul(GENERATOR, share_file.share.value) == key_set.public_keys[index]
    assert "secretShare" not in (tmp_path / "authorities.json").read_text()


def test_keygen_never_overwrites_keys(tmp_path: Path) -> None:
    write_key_files(tmp_path, threshold=2, shares=3)
    with pytest.raises(KeyFileError, match="exists already"):
        write_key_files(tmp_path, threshold=2, shares=3)


def test_a_public_key_set_whose_shares_disagree_is_refused(tmp_path: Path) -> None:
    """A key set where some quorums would compute other tags than others would let one person
    have two tags: the registrar refuses it before asking anyone."""
    write_key_files(tmp_path, threshold=2, shares=3)
    data = json.loads((tmp_path / "authorities.json").read_text())
    data["publicKeys"]["3"] = to_json(mul(GENERATOR, 12345))
    (tmp_path / "forged.json").write_text(json.dumps(data))
    with pytest.raises(InvalidShares, match="share 3 is inconsistent"):
        load_key_set(tmp_path / "forged.json")


def test_a_share_that_does_not_match_its_public_key_is_refused(tmp_path: Path) -> None:
    write_key_files(tmp_path, threshold=2, shares=3)
    data = json.loads((tmp_path / "authority-2.json").read_text())
    data["secretShare"] = str(int(data["secretShare"]) + 1)
    (tmp_path / "corrupt.json").write_text(json.dumps(data))
    with pytest.raises(KeyFileError, match="does not match"):
        load_share(tmp_path / "corrupt.json")


def test_unreadable_key_files_give_one_line(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot read"):
        load_key_set(tmp_path / "missing.json")
    (tmp_path / "text.json").write_text("hello")
    with pytest.raises(KeyFileError, match="not JSON"):
        load_share(tmp_path / "text.json")
