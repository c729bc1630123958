"""`veche register snapshot` writes each district's register from chain data alone, and
`veche register check` refuses any snapshot whose commitments do not give the chain's root."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from veche.crypto.imt import LeanIMT
from veche.register.snapshot import HEADER_BYTES, Snapshot

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def veche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veche.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ),
    )


@pytest.fixture(scope="module")
def snapshots(world, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("snapshots")
    run = veche(
        "register", "snapshot", "--rpc", world.rpc_url, "--election", world.election.address,
        "--definition", str(world.definition_file), "--out", str(folder),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return folder


def _check(world, *files: Path) -> subprocess.CompletedProcess[str]:
    args = ["--rpc", world.rpc_url, "--election", world.election.address]
    return veche("register", "check", *args, *map(str, files))


def test_snapshot_holds_each_register_in_leaf_order_with_the_chains_root(world, snapshots):
    index = json.loads((snapshots / "index.json").read_text())
    assert [entry["district"] for entry in index["districts"]] == ["north", "south", "east"]
    for number, entry in enumerate(index["districts"]):
        snapshot = Snapshot.from_bytes((snapshots / entry["file"]).read_bytes())
        members = [v.commitment for v in world.voters[entry["district"]]]
        assert snapshot.commitments == members
        assert snapshot.root == LeanIMT(members).root == world.election.merkle_root(number)
        assert entry["bytes"] == HEADER_BYTES + 32 * len(members)
    run = _check(world, *(snapshots / e["file"] for e in index["districts"]))
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("root matches the chain") == 3


def test_snapshot_with_an_altered_commitment_is_refused(world, snapshots, tmp_path):
    data = bytearray((snapshots / "register-north.bin").read_bytes())
    data[HEADER_BYTES + 40] ^= 1
    altered = tmp_path / "north.bin"
    altered.write_bytes(bytes(data))
    run = _check(world, altered)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1].endswith("the file was altered")


def test_snapshot_rewritten_with_a_consistent_root_is_refused_by_the_chains(
    world, snapshots, tmp_path
):
    original = Snapshot.from_bytes((snapshots / "register-north.bin").read_bytes())
    swapped = [*original.commitments]
    swapped[0], swapped[1] = swapped[1], swapped[0]
    forged = Snapshot(
        original.chain_id, original.election, original.district, original.block,
        LeanIMT(swapped).root, swapped,
    )  # fmt: skip
    path = tmp_path / "forged.bin"
    path.write_bytes(forged.to_bytes())
    run = _check(world, path)
    assert run.returncode == 1 and "on chain has root" in run.stderr and "refusing" in run.stderr


def test_truncated_snapshot_is_refused_in_one_line(world, snapshots, tmp_path):
    path = tmp_path / "short.bin"
    path.write_bytes((snapshots / "register-south.bin").read_bytes()[:-7])
    run = _check(world, path)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1].startswith("veche: error: ")
    assert "says it holds 4 commitments" in run.stderr
