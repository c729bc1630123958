"""The election key without a dealer: 16 runs of the dedup DKG, one per option key.

Each option key `Y_i` is made by its own run of `veche.dedup.dkg` (Pedersen-VSS DKG among the
`n` trustees with threshold `k`) over its own board and private folders, so no machine ever
holds an option key, and the runs are independent (a trustee's share of one key says nothing
of another). The trustees run the dedup steps in order, each step for the 16 runs at once:

    board/trustees/<j>.json       trustee j's name (init)
    board/option-<ii>/…           the dedup board of option ii's run (`veche.dedup.dkg_files`)
    board/election-key.json       the result (finish): veche-election-key/v1
    private/option-<ii>/…         trustee j's private folder of option ii's run
    private/trustee-<j>.json      the result (finish): j's veche-trustee-share/v1 (0600)

A trustee that a run disqualifies holds no share of that option key, hence none of the
election: the election key lists the verification shares of the trustees qualified in all 16
runs, and refuses to exist if fewer than `k` are. Every step may be run again: a run whose
message for this trustee is already on the board is skipped, so a step interrupted (or one
that had to wait for the others) goes on where it stopped.
"""

import json
from pathlib import Path

from veche.crypto.babyjub import Point
from veche.crypto.elgamal import OPTIONS
from veche.dedup.authority.cli import DKG_STEPS
from veche.dedup.dkg import DkgError
from veche.dedup.dkg_files import published_key_set, read_board, run_step
from veche.dedup.keys import PublicKeySet, load_share
from veche.trustees.errors import ElectionKeyError
from veche.trustees.key import ElectionKey, Trustee, TrusteeShare, read_json

STEPS = DKG_STEPS
ELECTION_KEY_FILE = "election-key.json"

_DONE_MARKER = {
    "init": "keys",
    "deal": "deal",
    "check": "complaints",
    "answer": "answers",
    "extract": "feldman",
    "verify": "exposures",
}


def option_folder(root: Path, option: int) -> Path:
    return root / f"option-{option:02d}"


def _done(step: str, board: Path, private: Path, index: int) -> bool:
    if step == "finish":
        share_file = private.parent / f"trustee-{index}.json"
        return share_file.exists() or (private / f"authority-{index}.json").exists()
    return (board / _DONE_MARKER[step] / f"{index}.json").exists()


def run_trustee_step(
    step: str,
    board: Path,
    private: Path,
    index: int,
    *,
    session: str | None = None,
    threshold: int | None = None,
    trustees: int | None = None,
    name: str | None = None,
) -> str:
    """Runs `step` of the 16 option-key runs for trustee `index`; a one-line account."""
    if step not in STEPS:
        raise ElectionKeyError(f"unknown step {step!r}; the steps are {', '.join(STEPS)}")
    if step == "init":
        _publish_name(board, index, name)
    elif not (option_folder(board, 0) / "session.json").exists():
        raise ElectionKeyError(
            f"no key generation on {board} yet: every trustee runs init first (the first one "
            "with --session, --threshold and --trustees)"
        )
    accounts = []
    for option in range(OPTIONS):
        option_board, option_private = option_folder(board, option), option_folder(private, option)
        if step != "init" and _done(step, option_board, option_private, index):
            continue
        if step in ("verify", "finish") and index not in read_board(option_board).qualified():
            accounts.append(f"option {option}: trustee {index} was disqualified")
            continue
        accounts.append(
            run_step(
                step,
                option_board,
                option_private,
                index,
                session=None if session is None else f"{session}/option-{option:02d}",
                threshold=threshold,
                authorities=trustees,
            )
        )
    if step == "finish":
        return _finish(board, private, index)
    summary = accounts[0] if accounts else "nothing left to do"
    return f"trustee {index}, {step} for the {OPTIONS} option keys: {summary}" + (
        f" (and {len(accounts) - 1} more runs)" if len(accounts) > 1 else ""
    )


def _publish_name(board: Path, index: int, name: str | None) -> None:
    path = board / "trustees" / f"{index}.json"
    if path.exists():
        return
    if not name:
        raise ElectionKeyError("init needs --name: how the election key names this trustee")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"index": index, "name": name}) + "\n")


def _names(board: Path, trustees: int) -> tuple[Trustee, ...]:
    names = []
    for j in range(1, trustees + 1):
        data = read_json(board / "trustees" / f"{j}.json", f"trustee {j}'s name")
        if not isinstance(data, dict) or data.get("index") != j or not data.get("name"):
            raise ElectionKeyError(f"board/trustees/{j}.json does not name trustee {j}")
        names.append(Trustee(j, str(data["name"])))
    return tuple(names)


def election_key_from_board(board: Path) -> ElectionKey:
    """The election key the 16 finished runs define (anyone recomputes it from the board)."""
    key_sets: list[PublicKeySet] = []
    for option in range(OPTIONS):
        try:
            key_sets.append(published_key_set(option_folder(board, option)))
        except DkgError as error:
            raise ElectionKeyError(
                f"option {option}'s run has no key yet ({error}): every trustee runs finish"
            ) from None
    params = read_board(option_folder(board, 0)).params
    holders = set.intersection(*(set(k.public_keys) for k in key_sets))
    if len(holders) < params.threshold:
        raise ElectionKeyError(
            f"only trustees {sorted(holders)} qualified in every option's run; "
            f"{params.threshold} needed"
        )
    shares: dict[int, tuple[Point, ...]] = {
        j: tuple(k.public_keys[j] for k in key_sets) for j in sorted(holders)
    }
    return ElectionKey(
        threshold=params.threshold,
        trustees=_names(board, params.authorities),
        option_keys=tuple(k.group_public_key for k in key_sets),
        verification_shares=shares,
    ).check()


def _finish(board: Path, private: Path, index: int) -> str:
    key = election_key_from_board(board)
    key_path = board / ELECTION_KEY_FILE
    if key_path.exists():
        if ElectionKey.load(key_path) != key:
            raise ElectionKeyError(f"{key_path} differs from the key the board defines")
    else:
        key.save(key_path)
    if index not in key.verification_shares:
        return f"trustee {index} holds no share: a run disqualified it; key in {key_path}"
    share_path = private / f"trustee-{index}.json"
    if not share_path.exists():
        secrets = tuple(
            load_share(option_folder(private, option) / f"authority-{index}.json").share.value
            for option in range(OPTIONS)
        )
        TrusteeShare(index, secrets, key).check().save(share_path)
        for option in range(OPTIONS):
            (option_folder(private, option) / f"authority-{index}.json").unlink()
    return (
        f"trustee {index} holds its share in {share_path}; election key (hash "
        f"0x{key.key_hash().hex()}) in {key_path}"
    )
