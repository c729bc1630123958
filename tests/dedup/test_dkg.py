"""Dedup authorities make their key without a dealer (GJKR DKG over a board folder).

Five authorities, threshold three; authority 4 deals authority 2 a bad share and stands by it
when accused. It is caught and excluded; the other four hold shares of a group key that nobody
ever held, and a quorum of them gives every person the tag that key defines, while no single
authority's evaluation (nor two of them) gives it.
"""

import json
import time
from pathlib import Path

import pytest

from veche.dedup import dkg, oprf
from veche.dedup.dkg_files import published_key_set, read_board, run_step
from veche.dedup.dleq import verify as verify_dleq
from veche.dedup.group import GENERATOR, ORDER, mul
from veche.dedup.keys import load_share
from veche.dedup.sealed import seal
from veche.dedup.shamir import combine as combine_scalars

ELECTION = bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3")
BAD_PAIR = ["12345", "67890"]
PERSONS = [b"IVANOVA|MARIA|1990-04-01|RU", b"PETROV|OLEG|1985-11-23|RU"]


def _sabotage_share(board: Path, dealer: int, victim: int) -> None:
    """Replaces the share `dealer` sealed for `victim` by a random (wrong) one."""
    path = board / "deal" / f"{dealer}.json"
    dealing = json.loads(path.read_text())
    params = read_board(board).params
    key = read_board(board).encryption_keys[victim]
    wrong = b"".join(int(v).to_bytes(32, "big") for v in BAD_PAIR)
    box = seal(key, wrong, f"{dkg.FORMAT}|{params.session}|share {dealer}->{victim}".encode())
    dealing["sealedShares"][str(victim)] = box.to_json()
    path.write_text(json.dumps(dealing))


@pytest.fixture(scope="module")
def ceremony(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("dkg")
    board = root / "board"
    private = {i: root / f"private-{i}" for i in range(1, 6)}
    started = time.perf_counter()
    messages = {}
    for i in range(1, 6):
        extra = {"session": "diaspora-2027", "threshold": 3, "authorities": 5} if i == 1 else {}
        run_step("init", board, private[i], i, **extra)
    for i in range(1, 6):
        run_step("deal", board, private[i], i)
    _sabotage_share(board, dealer=4, victim=2)
    for step in ("check", "answer", "extract", "verify", "finish"):
        for i in range(1, 6):
            if step in ("verify", "finish") and i == 4:
                continue
            messages[(step, i)] = run_step(step, board, private[i], i)
            if (step, i) == ("answer", 4):  # it stands by the bad share it sent
                (board / "answers" / "4.json").write_text(
                    json.dumps({"format": dkg.FORMAT, "index": 4, "reveals": {"2": BAD_PAIR}})
                )
    seconds = time.perf_counter() - started
    return {"board": board, "private": private, "messages": messages, "seconds": seconds}


def test_the_bad_dealer_is_caught_and_excluded(ceremony: dict) -> None:
    board = read_board(ceremony["board"])
    assert board.complaints == {1: (), 2: (4,), 3: (), 4: (), 5: ()}
    assert board.disqualified() == {
        4: "revealed a share for authority 2 that fails its commitments"
    }
    assert "disqualified" in ceremony["messages"][("extract", 4)]
    key_set = published_key_set(ceremony["board"])
    assert sorted(key_set.public_keys) == [1, 2, 3, 5]
    assert not (ceremony["private"][4] / "authority-4.json").exists()
    # Secrets are erased from each authority's folder once it holds its share.
    assert not (ceremony["private"][1] / "dkg-secret.json").exists()


def test_quorums_give_the_tags_of_the_group_key(ceremony: dict) -> None:
    key_set = published_key_set(ceremony["board"])
    shares = {i: load_share(ceremony["private"][i] / f"authority-{i}.json") for i in (1, 2, 3, 5)}
    # The group key, rebuilt here only to check (no authority ever held it): any 3 shares.
    secret = combine_scalars({i: shares[i].share.value for i in (1, 3, 5)})
    assert mul(GENERATOR, secret) == key_set.group_public_key
    assert combine_scalars({i: shares[i].share.value for i in (2, 3, 5)}) == secret
    for person in PERSONS:
        expected = oprf.tag_of(person, oprf.direct_output(secret, person), ELECTION)
        for quorum in ((1, 2, 3), (2, 3, 5), (1, 3, 5)):
            blinded = oprf.blind(person)
            answers = {}
            for i in quorum:
                evaluation = oprf.evaluate(shares[i].share, blinded.point)
                public = key_set.public_keys[i]
                assert verify_dleq(evaluation.proof, public, blinded.point, evaluation.point)
                answers[i] = evaluation.point
            output = oprf.unblind(blinded, oprf.combine(answers))
            assert oprf.tag_of(person, output, ELECTION) == expected


def test_no_single_authority_nor_two_reveal_a_tag(ceremony: dict) -> None:
    shares = {i: load_share(ceremony["private"][i] / f"authority-{i}.json") for i in (1, 2, 3, 5)}
    secret = combine_scalars({i: shares[i].share.value for i in (1, 2, 3)})
    person = PERSONS[0]
    expected = oprf.tag_of(person, oprf.direct_output(secret, person), ELECTION)
    blinded = oprf.blind(person)
    evaluations = {i: oprf.evaluate(shares[i].share, blinded.point).point for i in shares}
    for i, point in evaluations.items():
        # What an authority sees is r·H1(x) for a random r: it is not the person's point.
        assert blinded.point != oprf.hash_to_group(person, oprf.H1_DST)
        alone = oprf.unblind(blinded, point)
        assert oprf.tag_of(person, alone, ELECTION) != expected
        # Its own share applied to the person's point is not the tag either.
        own = oprf.direct_output(shares[i].share.value, person)
        assert oprf.tag_of(person, own, ELECTION) != expected
    two = oprf.unblind(blinded, oprf.combine({1: evaluations[1], 5: evaluations[5]}))
    assert oprf.tag_of(person, two, ELECTION) != expected
    assert 0 < secret < ORDER


def test_a_false_complaint_does_not_exclude_an_honest_dealer(tmp_path: Path) -> None:
    board, private = tmp_path / "board", {i: tmp_path / f"p{i}" for i in (1, 2, 3)}
    run_step("init", board, private[1], 1, session="s", threshold=2, authorities=3)
    for i in (2, 3):
        run_step("init", board, private[i], i)
    for i in (1, 2, 3):
        run_step("deal", board, private[i], i)
    for i in (1, 2, 3):
        run_step("check", board, private[i], i)
    # Authority 3 lies: it accuses dealer 1, whose share was good.
    (board / "complaints" / "3.json").write_text(
        json.dumps({"format": dkg.FORMAT, "index": 3, "against": [1]})
    )
    for step in ("answer", "extract", "verify", "finish"):
        for i in (1, 2, 3):
            run_step(step, board, private[i], i)
    assert read_board(board).disqualified() == {}
    assert sorted(published_key_set(board).public_keys) == [1, 2, 3]


def test_steps_out_of_order_wait_rather_than_guess(tmp_path: Path) -> None:
    board = tmp_path / "board"
    run_step("init", board, tmp_path / "p1", 1, session="s", threshold=2, authorities=3)
    with pytest.raises(
        dkg.DkgError, match=r"waiting for the encryption keys of authorities \[2, 3\]"
    ):
        run_step("deal", board, tmp_path / "p1", 1)


def test_the_cli_runs_a_step_and_refuses_a_bad_one_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from veche.cli.main import main

    board, mine = str(tmp_path / "board"), str(tmp_path / "p1")
    first = ["authority", "dkg", "init", "--board", board, "--private", mine, "--index", "1"]
    assert main([*first, "--session", "s", "--threshold", "2", "--authorities", "3"]) == 0
    assert "authority 1 joined session 's'" in capsys.readouterr().out
    assert (Path(mine) / "dkg-secret.json").stat().st_mode & 0o077 == 0
    assert (
        main(["authority", "dkg", "deal", "--board", board, "--private", mine, "--index", "1"]) == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("veche: error: waiting for the encryption keys") and err.count("\n") == 1
