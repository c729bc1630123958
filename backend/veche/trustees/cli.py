"""`veche trustee dkg` (the election key without a dealer), `veche trustee decrypt` (a trustee's
partial decryption of the district sums) and `veche trustee dev-key` (a dealt development key)."""

import argparse
import sys
from pathlib import Path

from veche.dedup.authority.cli import DKG_STEPS as STEPS
from veche.dedup.authority.cli import add_dkg_arguments


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("trustee", help="make the election key, or decrypt the tally, as a trustee")
    trustee = p.add_subparsers(dest="trustee_command", required=True)

    dkg = trustee.add_parser(
        "dkg",
        help="make the election key among the trustees, without a dealer (one step at a time)",
        description="Each trustee runs the steps in order, each after every trustee has "
        f"finished the previous one: {', '.join(STEPS)}. Each step runs the dedup key "
        "generation once per option key (16 independent runs). Messages go to the shared "
        "--board folder; secrets stay in --private. finish writes board/election-key.json and "
        "private/trustee-<index>.json.",
    )
    add_dkg_arguments(dkg, "trustee", "--trustees")
    dkg.add_argument("--name", help="init: this trustee's name, as the election key shows it")
    dkg.set_defaults(func=run_dkg)

    decrypt = trustee.add_parser(
        "decrypt",
        help="as a trustee: partially decrypt every district's sum, with proofs",
        description="Writes the data of publishDecryption (0x-hex): for each district in order "
        "and each of its options, D = x·R with a DLEQ proof (128 bytes).",
    )
    decrypt.add_argument("--sums", required=True, type=Path, help="the recount's sums file")
    decrypt.add_argument("--share", required=True, type=Path, help="this trustee's share file")
    decrypt.add_argument("--out", type=Path, help="write the hex here instead of printing it")
    decrypt.set_defaults(func=run_decrypt)

    tally = trustee.add_parser(
        "tally",
        help="check the trustees' partial decryptions and combine k of them into the counts",
    )
    tally.add_argument("--sums", required=True, type=Path, help="the recount's sums file")
    tally.add_argument("--key", required=True, type=Path, help="the election key file")
    tally.add_argument(
        "--partial",
        required=True,
        action="append",
        metavar="TRUSTEE=FILE",
        help="data published for a trustee (0x-hex file); repeat for each publication, in "
        "the order they were published",
    )
    tally.set_defaults(func=run_tally)

    dev_key = trustee.add_parser(
        "dev-key",
        help="deal a DEVELOPMENT election key and publish all its shares (tests and demo only)",
    )
    dev_key.add_argument("--out", required=True, type=Path, help="folder for the two files")
    dev_key.add_argument("--force", action="store_true", help="replace existing files")
    dev_key.set_defaults(func=run_dev_key)


def run_dkg(args: argparse.Namespace) -> int:
    from veche.trustees.dkg import run_trustee_step

    print(
        run_trustee_step(
            args.step,
            args.board,
            args.private,
            args.index,
            session=args.session,
            threshold=args.threshold,
            trustees=args.trustees,
            name=args.name,
        )
    )
    return 0


def run_decrypt(args: argparse.Namespace) -> int:
    from veche.trustees.decrypt import load_sums, partial_decryption, require_same_key
    from veche.trustees.key import TrusteeShare

    share = TrusteeShare.load(args.share)
    key_hash, sums = load_sums(args.sums)
    require_same_key(share.election_key, key_hash)
    data = "0x" + partial_decryption(share, sums).hex()
    if args.out is None:
        print(data)
    else:
        args.out.write_text(data + "\n")
        print(f"trustee {share.index}'s partial decryption of {len(sums)} districts: {args.out}")
    return 0


def run_tally(args: argparse.Namespace) -> int:
    import json

    from veche.trustees.decrypt import (
        combine_publications,
        load_sums,
        read_partial,
        require_same_key,
    )
    from veche.trustees.key import ElectionKey

    key = ElectionKey.load(args.key)
    key_hash, sums = load_sums(args.sums)
    require_same_key(key, key_hash)
    publications = [read_partial(argument) for argument in args.partial]
    result = combine_publications(key, sums, publications)
    for trustee, reason in sorted(result.refused.items()):
        print(f"veche: warning: refused trustee {trustee}: {reason}", file=sys.stderr)
    for reason in result.ignored:
        print(f"veche: warning: ignored a publication: {reason}", file=sys.stderr)
    print(json.dumps({"trustees": result.trustees,
                      "counts": {str(d): c for d, c in result.counts.items()}}))  # fmt: skip
    return 0


def run_dev_key(args: argparse.Namespace) -> int:
    from veche.trustees.development import DEALER_WARNING, write_development_key

    key = write_development_key(args.out, force=args.force)
    print(DEALER_WARNING, file=sys.stderr)
    print(
        f"wrote the development election key (hash 0x{key.key_hash().hex()}) and all "
        f"{len(key.trustees)} trustees' shares to {args.out}; {key.threshold} decrypt"
    )
    return 0
