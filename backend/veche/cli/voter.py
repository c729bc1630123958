"""The voter's commands: an identity, a ballot through a relayer, a check of the receipt."""

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from veche.cli.common import UsageError, address

if TYPE_CHECKING:
    from veche.chain.election import ElectionContract
    from veche.crypto.identity import Identity


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("identity", help="create or show a voter identity")
    identity = p.add_subparsers(dest="identity_command", required=True)
    new = identity.add_parser("new", help="create an identity and save it to a file")
    new.add_argument("--out", required=True)
    new.set_defaults(func=run_identity_new)
    show = identity.add_parser("show", help="print an identity's public commitment")
    show.add_argument("identity")
    show.set_defaults(func=run_identity_show)

    p = sub.add_parser("vote", help="prove and send a ballot through a relayer")
    p.add_argument("--rpc", required=True)
    p.add_argument("--election", required=True, type=address)
    p.add_argument("--identity", required=True, help="file written by 'veche identity new'")
    p.add_argument("--choice", required=True, type=int, help="index of the list in your district")
    p.add_argument("--relayer", required=True, help="relayer base URL")
    p.set_defaults(func=run_vote)

    p = sub.add_parser("ballot", help="show the ballot counted for a receipt's nullifier")
    p.add_argument("--rpc", required=True)
    p.add_argument("--election", required=True, type=address)
    p.add_argument("--nullifier", required=True)
    p.set_defaults(func=run_ballot)


def run_identity_new(args: argparse.Namespace) -> int:
    from veche.crypto.identity import Identity

    out = Path(args.out)
    identity = Identity.generate()
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{out} already exists: refusing to overwrite an identity") from None
    except OSError as exc:
        raise UsageError(f"cannot create {out}: {exc.strerror}") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(identity.export() + "\n")
    print(f"Identity saved to {out} (keep it secret). Commitment for your registrar:")
    print(identity.commitment)
    return 0


def load_identity(path: str) -> "Identity":
    from veche.crypto.identity import Identity

    try:
        text = Path(path).read_text().strip()
    except OSError as exc:
        raise UsageError(f"cannot read identity file {path}: {exc.strerror}") from exc
    return Identity.import_(text)


def run_identity_show(args: argparse.Namespace) -> int:
    print(load_identity(args.identity).commitment)
    return 0


def run_vote(args: argparse.Namespace) -> int:
    import httpx

    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.crypto.prover import Prover, encrypted_prover
    from veche.voter import PublicState, prepare_ballots, send_ballot, wait_for_inclusion

    identity = load_identity(args.identity)
    election = ElectionContract(connect(args.rpc), args.election)
    state = PublicState.download(election)
    district = state.district_of(identity)
    options = election.district(district).option_count
    if not 0 <= args.choice < options:
        raise UsageError(f"choice must be between 0 and {options - 1} in your district")
    with encrypted_prover() if state.encrypted else Prover() as prover:
        (body,) = prepare_ballots(election, [(identity, args.choice)], prover, state=state)
    if state.encrypted:
        print(
            "Your choice is encrypted under the election key: the relayer and the chain see "
            "only a ciphertext, and only the trustees' joint decryption of each district's sum "
            "reveals counts"
        )
    with httpx.Client() as client:
        accepted = send_ballot(client, args.relayer, body)
        print(f"Ballot accepted by the relayer (revision {accepted['revision']}); waiting...")
        receipt = wait_for_inclusion(client, args.relayer, accepted)
    print(json.dumps(receipt, indent=2))
    return 0


def _recorded_ballot(election: "ElectionContract", nullifier: int) -> int:
    """In the recorded mode the chain vouches for nothing: verifies this nullifier's records and
    verified single ballots here and says what a recount will count, without calling it
    counted."""
    from veche.protocol import BallotSecrecy
    from veche.voter import recorded_ballot_box

    box = recorded_ballot_box(election, nullifier)
    encrypted = election.ballot_secrecy() is BallotSecrecy.ENCRYPTED
    for ballot, reason in box.rejected:
        listed = "" if encrypted else f", list {ballot.choice}"
        print(f"Refused by the rules ({reason}): revision {ballot.revision}{listed}")
    current = box.current.get(nullifier)
    if current is None:
        print("No valid ballot is recorded for this nullifier.")
        return 1
    listed = "an encrypted choice" if encrypted else f"list {current.choice}"
    print(
        f"Recorded, and its proof verifies here: district {current.district}, {listed}, "
        f"revision {current.revision}, at {current.cast_at}. In this election "
        "the chain does not verify ballots: it is counted once the recount (veche recount) says so"
    )
    return 0


def run_ballot(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.crypto.field import SNARK_SCALAR_FIELD
    from veche.protocol import BallotMode, BallotSecrecy

    text = args.nullifier.strip()
    if not text.isdigit() or not text.isascii():
        raise UsageError("--nullifier must be a decimal number")
    nullifier = int(text)
    if nullifier >= SNARK_SCALAR_FIELD:
        raise UsageError(
            "--nullifier is not below the field order: no ballot can have it (check the receipt)"
        )
    election = ElectionContract(connect(args.rpc), args.election)
    if election.ballot_mode() is BallotMode.RECORDED:
        return _recorded_ballot(election, nullifier)
    stored = election.ballot_of(nullifier)
    if stored.revision == 0:
        print("No ballot is counted for this nullifier.")
        return 1
    listed = (
        "an encrypted choice"
        if election.ballot_secrecy() is BallotSecrecy.ENCRYPTED
        else f"list {stored.choice}"
    )
    where = f"district {stored.district}, {listed}, revision {stored.revision}"
    if election.is_excluded(stored.district):
        print(
            f"On chain but NOT counted: {where}, cast at {stored.cast_at}; the district was "
            "excluded on appeal"
        )
        return 1
    print(f"Counted: {where}, cast at {stored.cast_at}")
    return 0
