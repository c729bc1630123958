"""The DKG over files: a public board folder that every authority reads and writes its own
messages into (synced by any means: a shared drive, a git repository, a web page), and a private
folder per authority (0600 files) that never leaves its machine.

    board/session.json            session name, threshold, number of authorities
    board/keys/<i>.json           authority i's encryption key for sealed shares
    board/deal/<i>.json           i's Pedersen commitments and sealed shares (step 1)
    board/complaints/<j>.json     the dealers j accuses (step 2; never a share)
    board/answers/<i>.json        shares i reveals to answer complaints (step 3)
    board/feldman/<i>.json        i's Feldman commitments, if qualified (step 4)
    board/exposures/<j>.json      shares contradicting a dealer's Feldman commitments (verify)
    board/reveals/<j>.json        j's shares of exposed dealers, to rebuild them
    board/authorities.json        the result: group key and verification shares (step 5)
    private/dkg-secret.json       decryption key and polynomials (erased by `finish`)
    private/received.json         the share pairs received
    private/authority-<i>.json    the final share, in the dealer's share-file format
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from veche.dedup.dkg import (
    FORMAT,
    Board,
    DealerSecret,
    Dealing,
    DkgError,
    Parameters,
    answers_of,
    complaints_of,
    deal,
    exposures_of,
    feldman_of,
    final_shares,
    finish,
)
from veche.dedup.group import GENERATOR, from_json, mul, to_json
from veche.dedup.keys import PublicKeySet, ShareFile, write_secret_json
from veche.dedup.shamir import random_scalar


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except OSError as error:
        raise DkgError(f"cannot read {path}: {error.strerror}") from None
    except ValueError:
        raise DkgError(f"{path} is not JSON") from None


def _publish(path: Path, data: Any) -> None:
    if path.exists():
        if _read(path) == data:
            return
        raise DkgError(f"{path} exists already with other content: a message is never rewritten")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n")


def _by_index(folder: Path) -> dict[int, Any]:
    found = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = _read(path)
        index = int(data.get("index", -1)) if isinstance(data, dict) else -1
        if path.stem != str(index):
            raise DkgError(f"{path} claims to be from authority {index}")
        found[index] = data
    return found


def _pairs(data: Any) -> dict[int, tuple[int, int]]:
    return {int(k): (int(v[0]), int(v[1])) for k, v in data.items()}


def _pairs_json(pairs: dict[int, tuple[int, int]]) -> dict[str, list[str]]:
    return {str(k): [str(v[0]), str(v[1])] for k, v in sorted(pairs.items())}


def read_board(folder: Path) -> Board:
    session = _read(folder / "session.json")
    try:
        params = Parameters(
            str(session["session"]), int(session["threshold"]), int(session["authorities"])
        ).check()
        return Board(
            params,
            encryption_keys={
                i: from_json(d["encryptionKey"], f"key {i}")
                for i, d in _by_index(folder / "keys").items()
            },
            dealings={i: Dealing.from_json(d) for i, d in _by_index(folder / "deal").items()},
            complaints={
                j: tuple(int(i) for i in d["against"])
                for j, d in _by_index(folder / "complaints").items()
            },
            answers={i: _pairs(d["reveals"]) for i, d in _by_index(folder / "answers").items()},
            feldman={
                i: tuple(from_json(c, f"Feldman commitment of {i}") for c in d["commitments"])
                for i, d in _by_index(folder / "feldman").items()
            },
            exposures={j: _pairs(d["shares"]) for j, d in _by_index(folder / "exposures").items()},
            reveals={j: _pairs(d["shares"]) for j, d in _by_index(folder / "reveals").items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise DkgError(f"malformed board message: {error}") from None


def _need_all(board: Board, what: str, present: dict[int, Any]) -> None:
    missing = [i for i in range(1, board.params.authorities + 1) if i not in present]
    if missing:
        raise DkgError(f"waiting for {what} of authorities {missing}: run this step again later")


def _secret(private: Path) -> dict[str, Any]:
    data: dict[str, Any] = _read(private / "dkg-secret.json")
    return data


def run_step(
    step: str,
    board_dir: Path,
    private: Path,
    index: int,
    *,
    session: str | None = None,
    threshold: int | None = None,
    authorities: int | None = None,
) -> str:
    """Runs one step for authority `index`; returns a one-line account of what it did."""
    if step == "init":
        if not (board_dir / "session.json").exists():
            if session is None or threshold is None or authorities is None:
                raise DkgError(
                    "the first authority to init gives --session, --threshold, --authorities"
                )
            params = Parameters(session, threshold, authorities).check()
            _publish(
                board_dir / "session.json",
                {"format": FORMAT, "session": session, "threshold": threshold,
                 "authorities": authorities},
            )  # fmt: skip
        params = read_board(board_dir).params
        if not 1 <= index <= params.authorities:
            raise DkgError(f"--index {index}: authorities are numbered 1..{params.authorities}")
        decryption_key = random_scalar()
        write_secret_json(
            private / "dkg-secret.json",
            {"format": FORMAT, "index": index, "decryptionKey": str(decryption_key)},
        )
        _publish(
            board_dir / "keys" / f"{index}.json",
            {"format": FORMAT, "index": index,
             "encryptionKey": to_json(mul(GENERATOR, decryption_key))},
        )  # fmt: skip
        return f"authority {index} joined session {params.session!r}"

    board = read_board(board_dir)
    secret = _secret(private)
    if int(secret["index"]) != index:
        raise DkgError(f"{private} belongs to authority {secret['index']}, not {index}")
    decryption_key = int(secret["decryptionKey"])

    if step == "deal":
        _need_all(board, "the encryption keys", board.encryption_keys)
        dealer, dealing = deal(board.params, index, board.encryption_keys)
        (private / "dkg-secret.json").unlink()
        write_secret_json(private / "dkg-secret.json", {**secret, "dealer": dealer.to_json()})
        _publish(board_dir / "deal" / f"{index}.json", dealing.to_json())
        return f"authority {index} dealt {board.params.authorities} sealed shares"

    if step == "check":
        _need_all(board, "the dealings", board.dealings)
        received, accused = complaints_of(board, index, decryption_key)
        write_secret_json(private / "received.json", {"shares": _pairs_json(received)})
        _publish(
            board_dir / "complaints" / f"{index}.json",
            {"format": FORMAT, "index": index, "against": accused},
        )
        return f"authority {index} checked {len(received)} shares; complaints: {accused or 'none'}"

    dealer = DealerSecret.from_json(secret["dealer"])
    if step == "answer":
        _need_all(board, "the complaints", board.complaints)
        reveals = answers_of(board, dealer)
        _publish(
            board_dir / "answers" / f"{index}.json",
            {"format": FORMAT, "index": index, "reveals": _pairs_json(reveals)},
        )
        return f"authority {index} answered {len(reveals)} complaints"

    if step == "extract":
        unaccused = set(range(1, board.params.authorities + 1)) - {
            i for against in board.complaints.values() for i in against
        }
        _need_all(board, "the answers", {**board.answers, **dict.fromkeys(unaccused)})
        bad = board.disqualified()
        if index in bad:
            return f"authority {index} is disqualified ({bad[index]}): it holds no share"
        _publish(
            board_dir / "feldman" / f"{index}.json",
            {"format": FORMAT, "index": index,
             "commitments": [to_json(c) for c in feldman_of(dealer)]},
        )  # fmt: skip
        return f"authority {index} is qualified; disqualified: {bad or 'none'}"

    if step in ("verify", "finish"):
        qual = board.qualified()
        if index not in qual:
            raise DkgError(f"authority {index} is not qualified: it holds no share")
        others = dict.fromkeys(set(range(1, board.params.authorities + 1)) - set(qual))
        _need_all(board, "the Feldman commitments", {**board.feldman, **others})
        received = _pairs(_read(private / "received.json")["shares"])
        pairs = final_shares(board, index, received)
        if step == "verify":
            exposures = exposures_of(board, index, pairs)
            _publish(
                board_dir / "exposures" / f"{index}.json",
                {"format": FORMAT, "index": index, "shares": _pairs_json(exposures)},
            )
            return f"authority {index} checked the Feldman commitments; contradicted: " + (
                f"{sorted(exposures)}" if exposures else "none"
            )
        _need_all(board, "the Feldman checks", {**board.exposures, **others})
        exposed = board.exposed()
        if exposed:
            shown = {i: pairs[i] for i in exposed if i in pairs}
            _publish(
                board_dir / "reveals" / f"{index}.json",
                {"format": FORMAT, "index": index, "shares": _pairs_json(shown)},
            )
            board = read_board(board_dir)
            _need_all(board, "the shares of exposed dealers", {**board.reveals, **others})
        key_set = board.key_set()
        share = finish(board, index, pairs)
        write_secret_json(private / f"authority-{index}.json", ShareFile(share, key_set).to_json())
        _publish(board_dir / "authorities.json", key_set.to_json())
        (private / "dkg-secret.json").unlink()
        (private / "received.json").unlink()
        return (
            f"authority {index} holds its share; group key and {len(key_set.public_keys)} "
            f"verification shares in {board_dir / 'authorities.json'}"
            + (f"; rebuilt exposed dealers {exposed}" if exposed else "")
        )
    raise DkgError(f"unknown step {step!r}")


def published_key_set(board_dir: Path) -> PublicKeySet:
    return PublicKeySet.from_json(_read(board_dir / "authorities.json"))
