"""`veche registrar challenge | add | submit | status | approve-replacement | replace`: the
registrar's commands.

The registrar's key comes from `VECHE_REGISTRAR_KEY`. `add` keeps no personal data: it prints
and stores only the district, the commitment and the tag.
"""

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from veche.cli.common import (
    UsageError,
    account_from_env,
    add_network_arguments,
    address,
    district_number,
    require_definition_of,
)

if TYPE_CHECKING:
    from veche.registrar.challenge import HolderProof

REGISTRAR_KEY = "VECHE_REGISTRAR_KEY"


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("registrar", help="register voters (a registrar's tool)")
    registrar = p.add_subparsers(dest="registrar_command", required=True)

    challenge = registrar.add_parser("challenge", help="print a fresh challenge for a voter")
    challenge.add_argument("--qr", type=Path, help="also write its QR code to this .png or .svg")
    challenge.set_defaults(func=run_challenge)

    add = registrar.add_parser("add", help="check a voter and append them to the pending batch")
    _election_arguments(add)
    add.add_argument("--batch", required=True, help="the pending batch file")
    add.add_argument("--district", required=True, help="district number (or id with --definition)")
    add.add_argument("--definition", help="the election definition, to name districts by id")
    _person_arguments(add)
    add.set_defaults(func=run_add)

    approve = registrar.add_parser(
        "approve-replacement",
        help="approve replacing a person's lost key by a new one (recovery, k registrars)",
    )
    _election_arguments(approve)
    approve.add_argument("--out", required=True, type=Path, help="the approval file to write")
    _person_arguments(approve)
    approve.set_defaults(func=run_approve_replacement)

    replace = registrar.add_parser(
        "replace", help="send a replacement once enough registrars approved it"
    )
    _election_arguments(replace)
    replace.add_argument(
        "--approval", action="append", required=True, type=Path, help="an approval file (repeat)"
    )
    add_network_arguments(replace)
    replace.set_defaults(func=run_replace)

    submit = registrar.add_parser("submit", help="register the pending batch on chain")
    _election_arguments(submit)
    submit.add_argument("--batch", required=True)
    add_network_arguments(submit)
    submit.set_defaults(func=run_submit)

    status = registrar.add_parser("status", help="quota used per district")
    _election_arguments(status)
    status.add_argument("--registrar", type=address, help=f"default: the {REGISTRAR_KEY} account")
    status.set_defaults(func=run_status)


def _person_arguments(parser: argparse.ArgumentParser) -> None:
    """The person at the desk: the holder proof of their key and their attributes."""
    parser.add_argument(
        "--commitment", help="checked against the answer's key (default: the answer's own)"
    )
    parser.add_argument("--holder-proof", help="the answer code (VECHE:H1:...) the voter shows")
    parser.add_argument(
        "--holder-qr", type=Path, help="a photo or screenshot of the voter's answer QR code"
    )
    parser.add_argument("--challenge", help="the challenge the voter signed (decimal)")
    parser.add_argument("--public-key", help="the voter's public key X,Y")
    parser.add_argument("--signature", help="the voter's signature R8x,R8y,S")
    # Attributes left out are asked for on the terminal: arguments end up in shell histories.
    parser.add_argument("--family-name")
    parser.add_argument("--given-names", help="given name and patronymic")
    parser.add_argument("--birth-date", help="YYYY-MM-DD")
    parser.add_argument("--birth-place", help="the settlement, as in the document")
    parser.add_argument(
        "--authority", action="append", required=True, help="authority URL (repeat)"
    )
    parser.add_argument("--authority-keys", required=True, help="the authorities' public key set")
    parser.add_argument("--threshold", type=int, help="k, checked against the key set")


def _election_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rpc", required=True)
    parser.add_argument("--election", required=True, type=address)


def run_challenge(args: argparse.Namespace) -> int:
    from veche.registrar.challenge import challenge_code, new_challenge

    challenge = new_challenge()
    print(challenge)
    if args.qr is not None:
        from veche.desk.qr import write_code

        write_code(challenge_code(challenge), args.qr)
    return 0


def run_add(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.dedup.person import Person
    from veche.registrar.registration import add_person
    from veche.registrar.tagging import DedupContext

    holder = _holder_proof(args)
    commitment = _commitment(args, holder)
    key_set = _key_set(args)
    registrar = account_from_env(REGISTRAR_KEY)
    w3 = connect(args.rpc)
    election = ElectionContract(w3, args.election)
    if args.definition is not None:
        require_definition_of(election, args.definition)
    context = DedupContext(
        args.authority, key_set, registrar, int(w3.eth.chain_id), election.address
    )
    person = Person(
        args.family_name or _ask("family name"),
        args.given_names or _ask("given names (and patronymic)"),
        args.birth_date or _ask("birth date (YYYY-MM-DD)"),
        args.birth_place or _ask("birth place (settlement)"),
    )
    entry = add_person(
        election,
        context,
        Path(args.batch),
        district=district_number(args.district, args.definition),
        commitment=commitment,
        holder=holder,
        person=person,
    )
    print(
        f"added to {args.batch}: district {entry.district}, commitment {entry.commitment}, "
        f"person tag 0x{entry.tag.hex()}"
    )
    return 0


def run_approve_replacement(args: argparse.Namespace) -> int:
    """Checks the new key's holder proof, recomputes the person's tag with the authorities from
    the documents at this desk, and signs the replacement of the leaf that tag locates."""
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.dedup.person import Person
    from veche.registrar.challenge import verify_holder
    from veche.registrar.recovery import approve_replacement
    from veche.registrar.tagging import DedupContext, person_tag

    holder = _holder_proof(args)
    commitment = _commitment(args, holder)
    verify_holder(holder, commitment)
    key_set = _key_set(args)
    registrar = account_from_env(REGISTRAR_KEY)
    w3 = connect(args.rpc)
    election = ElectionContract(w3, args.election)
    context = DedupContext(
        args.authority, key_set, registrar, int(w3.eth.chain_id), election.address
    )
    person = Person(
        args.family_name or _ask("family name"),
        args.given_names or _ask("given names (and patronymic)"),
        args.birth_date or _ask("birth date (YYYY-MM-DD)"),
        args.birth_place or _ask("birth place (settlement)"),
    )
    person.canonical()  # refuses malformed attributes before any authority is asked
    tag = person_tag(person, context)
    approval = approve_replacement(election, registrar, tag=tag, new_commitment=commitment)
    approval.save(args.out)
    print(
        f"approved in {args.out}: district {approval.district}, leaf {approval.index}, "
        f"commitment {approval.old_commitment} -> {approval.new_commitment} "
        f"(replacement {approval.replacements + 1} of person tag 0x{tag.hex()}); "
        f"{election.recovery_approvals()} registrars must approve"
    )
    return 0


def run_replace(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.registrar.recovery import Approval, submit_replacement

    approvals = [Approval.load(path) for path in args.approval]
    sender = account_from_env(REGISTRAR_KEY)
    election = ElectionContract(connect(args.rpc), args.election)
    receipt = submit_replacement(election, sender, approvals)
    first = approvals[0]
    print(
        f"replaced leaf {first.index} of district {first.district}: commitment "
        f"{first.old_commitment} -> {first.new_commitment}, approved by "
        f"{', '.join(a.registrar for a in approvals)} "
        f"(transaction {receipt['transactionHash'].to_0x_hex()}); the new root is "
        f"{election.merkle_root(first.district)}"
    )
    return 0


def run_submit(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.registrar.submit import submit_batch

    registrar = account_from_env(REGISTRAR_KEY)
    election = ElectionContract(connect(args.rpc), args.election)
    report = submit_batch(election, registrar, Path(args.batch))
    if report.registered == 0:
        print(f"{args.batch} holds nothing to register")
        return 0
    print(
        f"registered {report.registered} voters in {report.transactions} transactions "
        f"({report.gas_used // report.registered} gas a voter); {args.batch} is now empty"
    )
    return 0


def run_status(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.registrar.status import registrar_status

    who = args.registrar or account_from_env(REGISTRAR_KEY).address
    status = registrar_status(ElectionContract(connect(args.rpc), args.election), who)
    standing = "not a registrar"
    if status.authorized:
        standing = "SUSPENDED" if status.suspended else "authorised"
    print(f"registrar {who}: {standing}")
    for district, quota in status.quotas.items():
        print(f"  district {district}: {quota.used} of {quota.quota} used, {quota.remaining} left")
    return 0


def _holder_proof(args: argparse.Namespace) -> "HolderProof":
    from veche.registrar.challenge import HolderProof

    given = [args.holder_proof is not None, args.holder_qr is not None, args.challenge is not None]
    if sum(given) != 1:
        raise UsageError(
            "give one of --holder-qr IMAGE, --holder-proof CODE, or --challenge with"
            " --public-key and --signature"
        )
    if args.holder_qr is not None:
        from veche.desk.qr import read_code
        from veche.registrar.challenge import HOLDER_PROOF_PREFIX

        return HolderProof.from_text(read_code(args.holder_qr, HOLDER_PROOF_PREFIX, "answer code"))
    if args.holder_proof is not None:
        return HolderProof.from_text(args.holder_proof)
    if not (args.public_key and args.signature):
        raise UsageError("--challenge needs --public-key and --signature")
    return HolderProof.from_parts(args.challenge, args.public_key, args.signature)


def _ask(what: str) -> str:
    """One attribute typed at the prompt (never echoed back, never stored)."""
    try:
        return input(f"{what}: ")
    except EOFError:
        raise UsageError(f"no {what} given") from None


def _integer(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise UsageError(f"{what} must be a decimal number, got {text!r}")
    return int(text)


def _commitment(args: argparse.Namespace, holder: Any) -> int:
    """The commitment to register: `--commitment` if given, else the holder proof's."""
    if args.commitment is None:
        return int(holder.commitment)
    return _integer(args.commitment, "--commitment")


def _key_set(args: argparse.Namespace) -> Any:
    """The authorities' key set, refused if `--threshold` names another threshold."""
    from veche.dedup.keys import load_key_set

    key_set = load_key_set(Path(args.authority_keys))
    if args.threshold is not None and args.threshold != key_set.threshold:
        raise UsageError(
            f"--threshold {args.threshold} differs from the key set's {key_set.threshold}"
        )
    return key_set
