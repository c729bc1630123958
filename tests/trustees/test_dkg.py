"""Trustees make the election key without a dealer (`veche trustee dkg`): 16 runs of the dedup
DKG among 3 trustees, threshold 2, through the command line as trustees would run it. The
published key loads and checks, each trustee's share file matches it, any 2 trustees' shares
give each option's secret key while no trustee's alone does."""

import json
import time
from pathlib import Path

import pytest

from tests.dedup.test_dkg import BAD_PAIR, _sabotage_share
from veche.cli.main import main
from veche.crypto.elgamal import OPTIONS
from veche.dedup import dkg
from veche.dedup.group import GENERATOR, mul
from veche.dedup.shamir import combine
from veche.trustees.dkg import STEPS, option_folder, run_trustee_step
from veche.trustees.key import ElectionKey, TrusteeShare

pytestmark = pytest.mark.slow

NAMES = {1: "Electoral commission", 2: "Observers' union", 3: "Bar association"}


@pytest.fixture(scope="module")
def ceremony(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("trustee-dkg")
    board = root / "board"
    started = time.perf_counter()
    for step in STEPS:
        for j, name in NAMES.items():
            argv = ["trustee", "dkg", step, "--board", str(board)]
            argv += ["--private", str(root / f"private-{j}"), "--index", str(j)]
            if step == "init":
                argv += ["--name", name]
                if j == 1:
                    argv += ["--session", "city-2027", "--threshold", "2", "--trustees", "3"]
            assert main(argv) == 0, (step, j)
    return {"root": root, "board": board, "seconds": time.perf_counter() - started}


def shares(ceremony: dict) -> dict[int, TrusteeShare]:
    return {
        j: TrusteeShare.load(ceremony["root"] / f"private-{j}" / f"trustee-{j}.json") for j in NAMES
    }


def test_the_published_election_key_names_the_trustees_and_checks(ceremony: dict) -> None:
    key = ElectionKey.load(ceremony["board"] / "election-key.json")
    assert key.threshold == 2
    assert {t.index: t.name for t in key.trustees} == NAMES
    assert sorted(key.verification_shares) == [1, 2, 3]
    assert len(set(key.option_keys)) == OPTIONS  # 16 independent keys


def test_each_trustee_holds_a_matching_share_and_no_run_secret_is_left(ceremony: dict) -> None:
    key = ElectionKey.load(ceremony["board"] / "election-key.json")
    for j, share in shares(ceremony).items():
        assert share.election_key == key
        private = ceremony["root"] / f"private-{j}"
        left = sorted(p.name for p in private.rglob("*.json"))
        assert left == [f"trustee-{j}.json"], left


def test_any_two_trustees_shares_give_each_option_key_and_one_alone_does_not(
    ceremony: dict,
) -> None:
    key = ElectionKey.load(ceremony["board"] / "election-key.json")
    held = shares(ceremony)
    for pair in [(1, 2), (1, 3), (2, 3)]:
        for i in range(OPTIONS):
            secret = combine({j: held[j].secrets[i] for j in pair})
            assert mul(GENERATOR, secret) == key.option_keys[i]
    for j in NAMES:
        assert mul(GENERATOR, held[j].secrets[0]) != key.option_keys[0]


def test_running_a_step_again_skips_what_is_done(
    ceremony: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ceremony["root"]
    argv = ["trustee", "dkg", "finish", "--board", str(ceremony["board"])]
    assert main([*argv, "--private", str(root / "private-2"), "--index", "2"]) == 0
    assert "trustee 2 holds its share" in capsys.readouterr().out
    assert main(["trustee", "dkg", "deal", "--board", str(ceremony["board"]),
                 "--private", str(root / "private-2"), "--index", "2"]) == 0  # fmt: skip
    assert "nothing left to do" in capsys.readouterr().out


def test_a_step_before_everyone_is_ready_waits_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board = tmp_path / "board"
    early = ["trustee", "dkg", "deal", "--board", str(board), "--private", str(tmp_path / "p1")]
    assert main([*early, "--index", "1"]) == 1
    assert "every trustee runs init first" in capsys.readouterr().err
    init = ["trustee", "dkg", "init", "--board", str(board), "--index", "1"]
    assert main([*init, "--private", str(tmp_path / "p1")]) == 1
    assert "init needs --name" in capsys.readouterr().err
    init += ["--private", str(tmp_path / "p1"), "--name", "A"]
    assert main([*init, "--session", "s", "--threshold", "2", "--trustees", "3"]) == 0
    deal = ["trustee", "dkg", "deal", "--board", str(board), "--private", str(tmp_path / "p1")]
    assert main([*deal, "--index", "1"]) == 1
    assert "waiting for the encryption keys of authorities [2, 3]" in capsys.readouterr().err


@pytest.fixture(scope="module")
def cheated(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Trustee 3 deals trustee 2 a bad share in option 5's run and stands by it."""
    root = tmp_path_factory.mktemp("trustee-dkg-cheat")
    board, private = root / "board", {j: root / f"private-{j}" for j in NAMES}
    messages = {}
    for step in STEPS:
        for j, name in NAMES.items():
            first = (step, j) == ("init", 1)
            messages[(step, j)] = run_trustee_step(
                step,
                board,
                private[j],
                j,
                name=name,
                session="city-2027" if first else None,
                threshold=2 if first else None,
                trustees=3 if first else None,
            )
            if (step, j) == ("answer", 3):  # the reveal that fails its own commitments
                (option_folder(board, 5) / "answers" / "3.json").write_text(
                    json.dumps({"format": dkg.FORMAT, "index": 3, "reveals": {"2": BAD_PAIR}})
                )
        if step == "deal":
            _sabotage_share(option_folder(board, 5), dealer=3, victim=2)
    return {"root": root, "board": board, "private": private, "messages": messages}


def test_a_trustee_disqualified_in_one_run_holds_no_share_of_the_election(cheated: dict) -> None:
    key = ElectionKey.load(cheated["board"] / "election-key.json")
    assert sorted(key.verification_shares) == [1, 2]
    assert key.threshold == 2 and len(key.trustees) == 3
    assert "holds no share: a run disqualified it" in cheated["messages"][("finish", 3)]
    assert not (cheated["private"][3] / "trustee-3.json").exists()
    shares = {j: TrusteeShare.load(cheated["private"][j] / f"trustee-{j}.json") for j in (1, 2)}
    for i in range(OPTIONS):  # trustee 3's dealing still counts in the 15 other option keys
        secret = combine({j: shares[j].secrets[i] for j in (1, 2)})
        assert mul(GENERATOR, secret) == key.option_keys[i]
