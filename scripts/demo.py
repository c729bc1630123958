"""The main job: a whole election on a local chain, on real parts, from deployment to parliament.

Run by `make demo`. It starts anvil on 127.0.0.1, deploys the election that
`examples/demo.toml` defines (three districts, seven seats; its calendar moved to the chain's
clock), registers voters in every district, has them vote through a real relayer over HTTP
(with re-votes), attempts frauds that must all be refused, excludes one district on appeal,
recounts from chain data alone, publishes the result's hash, checks it, and stops the chain.
Every proof is a real Groth16 proof made with the (development) keys in `zk/artifacts/depth20`.

By default the ballots are encrypted (`--plain` runs the plain election): each voter's choice is
an ElGamal ciphertext under the election key, proven well-formed by the encrypted ballot circuit
(the development election key and its circuit, proving keys and ceremony, committed in
`zk/artifacts/encrypted16`: anyone can decrypt with its committed trustee shares; a real
election runs `veche trustee dkg` and builds its circuit with `zk/build-encrypted.sh`). The
relayer and the chain see only ciphertexts; nobody sees a running tally. After voting closes
the recount shows the turnout only, writes each district's homomorphic sum, and two of the
three trustees publish their partial decryptions on chain (a forged one, sent in the third's
name, is reported and ignored); the recount verifies and combines them.

Registration runs on real parts too: three dedup authorities (2 of 3 needed) serve over HTTP in
their own processes, every voter signs the registrar's challenge, and every person's blind tag
is made through the authorities; the same person at another registrar, an over-quota and a
suspended registrar are refused (see scripts/demo_registration.py).
"""

import argparse
import json
import random
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from demo_registration import Registrar, dedup_authorities, synthetic_people
from eth_utils import keccak

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import EncryptedBallotInput, RegistrarGrant, grants_everywhere
from veche.cli.main import one_line_warning
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover, encrypted_prover
from veche.dedup.person import Person
from veche.dedup.transliterate import transliterate
from veche.definition import load
from veche.definition.retime import starting_at
from veche.devnet import relayer_process
from veche.errors import ContractRevert, VecheError
from veche.recount import recount
from veche.recount.audit import Reports, audit
from veche.recount.chart import render_svg
from veche.recount.keycheck import default_verification_key
from veche.recount.report import render
from veche.recount.result import canonical_result
from veche.registrar.tagging import person_tag
from veche.trustees.decrypt import partial_decryption, write_sums
from veche.trustees.development import DEVELOPMENT_KEY, development_trustee_shares
from veche.voter import (
    PublicState,
    RelayerError,
    prepare_ballots,
    send_ballot,
    wait_for_inclusion,
)

ROOT = Path(__file__).resolve().parents[1]
HOUR = 3600
REGISTERED = {"north": 50, "south": 40, "east": 30}
PREFERENCES = {"north": [5, 3, 2], "south": [1, 1], "east": [3, 2]}
"""How the demo's voters lean in each district (weights per list, in ballot order)."""


def say(text: str = "") -> None:
    print(text, flush=True)


def start_relayer(
    rpc_url: str, keys: list[str], database: Path
) -> tuple[subprocess.Popen[bytes], str]:
    relayer = relayer_process(
        rpc_url, keys, database, env={"PYTHONWARNINGS": "ignore::UserWarning"}
    ).start()
    assert relayer.process is not None
    return relayer.process, relayer.url


RELAYER_REFUSALS: Counter[str] = Counter()
"""The refusals the demo's clients received from the relayer, by code, for the 2% report (the
relayer does not publish its own counts yet)."""


def expect_refusal(what: str, call: Callable[[], Any], expected: str) -> None:
    """Runs `call`, which must be refused with `expected`."""
    try:
        call()
    except RelayerError as exc:
        got = exc.code
        RELAYER_REFUSALS[got] += 1
    except ContractRevert as exc:
        got = exc.name
    except VecheError as exc:
        got = type(exc).__name__
    else:
        raise SystemExit(f"FRAUD ACCEPTED: {what}")
    if got != expected:
        raise SystemExit(f"{what}: refused, but with {got} instead of {expected}")
    say(f"  refused: {what:<62} -> {got}")


def direct(election: Any, attacker: Any, body: dict[str, Any]) -> Callable[[], Any]:
    """Sends a ballot straight to the contract from the attacker's own account."""
    signals = [int(x) for x in body["publicSignals"]]
    if "choice" not in body:  # an encrypted ballot: its ciphertext is in its signals
        return lambda: election.cast_encrypted_ballot(
            attacker,
            EncryptedBallotInput(
                body["district"],
                body["revision"],
                signals[0],
                signals[1],
                tuple(int(x) for x in body["proof"]),
                b"".join(c.to_bytes(32, "big") for c in signals[2:-3]),
            ),
        )
    return lambda: election.cast_ballot(
        attacker,
        body["district"],
        int(body["publicSignals"][0]),
        int(body["publicSignals"][1]),
        body["choice"],
        body["revision"],
        [int(x) for x in body["proof"]],
    )


def decrypt_tally(
    w3: Any, election: Any, definition: Any, key: Path, out: Path, sender: Any, attacker: Any
) -> dict[str, Any]:
    """Voting is closed: the recount shows the turnout only and writes the district sums; two
    of the three development trustees publish their partial decryptions (after a forgery sent
    in the third's name), and the recount verifies and combines them."""
    say("\nVoting closed. Before decryption the recount knows the turnout, never the votes:")
    pending = recount(w3, election.address, definition, key)
    say("  " + render(pending).replace("\n", "\n  "))
    assert pending.decryption is not None and pending.decryption.tallies is None
    sums = out / "sums.json"
    write_sums(sums, pending.election_key_hash, pending.decryption.sums)
    say(f"  District sums for the trustees written to {sums} (veche recount --sums)")
    say("\nTrustees: each decrypts its share of every district's sum, with a DLEQ proof")
    shares = {share.index: share for share in development_trustee_shares()}
    forged = bytearray(partial_decryption(shares[1], pending.decryption.sums))
    forged[0] ^= 1
    election.publish_decryption(attacker, 2, bytes(forged))
    say("  a forged partial decryption is published in trustee 2's name (trustee 1's, altered)")
    started = time.perf_counter()
    for index in (1, 3):
        data = partial_decryption(shares[index], pending.decryption.sums)
        election.publish_decryption(sender, index, data)
        say(f"  trustee {index} published its partial decryptions ({len(data)} bytes)")
    seconds = time.perf_counter() - started
    decrypted = recount(w3, election.address, definition, key)
    assert decrypted.decryption is not None
    for line in decrypted.decryption.refused:
        say(f"  recount: refused {line}")
    say(
        f"  recount: combined trustees {decrypted.decryption.trustees}; decryption step "
        f"{decrypted.timings.get('decrypt', 0):.2f} s"
    )
    return {
        "encrypted": True,
        "trusteeSeconds": round(seconds, 3),
        "decryptSeconds": round(decrypted.timings.get("decrypt", 0.0), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--revotes", type=int, default=12)
    parser.add_argument(
        "--small",
        action="store_true",
        help="a few voters per district (a quick run for developers)",
    )
    parser.add_argument("--out", default=str(ROOT / "out" / "demo"))
    parser.add_argument("--seed", type=int, default=None, help="seed for the voters' choices")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="a plain election (each ballot carries its choice in clear) instead of encrypted",
    )
    args = parser.parse_args()
    encrypted = not args.plain
    warnings.showwarning = one_line_warning
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("relayer.sqlite3", "relayer.sqlite3-wal", "relayer.sqlite3-shm"):
        (out / stale).unlink(missing_ok=True)
    rng = random.Random(args.seed)
    registered = {key: 6 for key in REGISTERED} if args.small else REGISTERED
    metrics: dict[str, Any] = {}

    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_a, relayer_b, attacker, small = dev_accounts(6)
        say(f"Local chain (anvil) at {anvil.rpc_url}, chain id {w3.eth.chain_id}")
        definition_file = out / "definition.toml"
        template = (ROOT / "examples" / "demo.toml").read_text()
        if encrypted:  # top-level keys go before the first table
            first_key = template.index("\ntitle = ") + 1
            template = (
                template[:first_key]
                + f'ballot_secrecy = "encrypted"\nelection_key = "{DEVELOPMENT_KEY}"\n'
                + template[first_key:]
            )
        definition_file.write_text(starting_at(template, latest_timestamp(w3)))
        definition = load(definition_file)
        key = default_verification_key(definition)
        ids = [d.id for d in definition.districts]
        community = grants_everywhere(registrar.address, len(ids), 200)
        grants = [*community, RegistrarGrant(small.address, 1, 1)]
        election = deploy_from_definition(w3, organizer, definition, registrars=grants)
        other = deploy_from_definition(w3, organizer, definition, registrars=community)
        say(
            f"{definition.title}: {len(ids)} districts, {definition.total_seats} seats, "
            f"{definition.method.value}; definition {definition_file}"
        )
        if encrypted:
            say(
                "Ballots are ENCRYPTED under the DEVELOPMENT election key (3 trustees, 2 needed; "
                f"{DEVELOPMENT_KEY.relative_to(ROOT)}) with its committed circuit and proving "
                "keys (zk/artifacts/encrypted16): anyone holding the committed shares can "
                "decrypt, so this is for the demo only (a real election runs `veche trustee "
                "dkg` and builds its own circuit); --plain runs a plain election"
            )
        else:
            say("Ballots are PLAIN (--plain): each carries its choice in clear")
        say(
            f"Election deployed at {election.address}; a second one at {other.address} "
            "(for a cross-election replay attempt)"
        )
        say(
            "Registrars: a community registrar (quota 200 in every district) and a small one "
            "(quota 1 in South)"
        )
        say(
            "\nDedup authorities: a 2-of-3 key dealt by one machine (development only: a real "
            "election runs a DKG), each share served by its own process"
        )
        voters: dict[str, list[Identity]] = {}
        for stale in ("registrar-batch.json", "registrar-other.json", "small-batch.json"):
            (out / stale).unlink(missing_ok=True)
        with dedup_authorities(
            out / "authorities", anvil.rpc_url, [election.address, other.address]
        ) as authorities:
            say(f"  {', '.join(authorities.urls)}")
            say(
                "\nRegistration: each voter signs the registrar's challenge; the registrar makes "
                "the person's blind tag through the authorities and keeps only (district, "
                "commitment, tag):"
            )
            desk = Registrar(election, registrar, authorities, out / "registrar-batch.json")
            people = synthetic_people(sum(registered.values()) + 3, rng)
            person_of: dict[int, Person] = {}
            started = time.perf_counter()
            for number, district_id in enumerate(ids):
                voters[district_id] = [Identity.generate() for _ in range(registered[district_id])]
                for voter in voters[district_id]:
                    person_of[voter.commitment] = people.pop()
                    desk.add(number, voter, person_of[voter.commitment])
            seconds = time.perf_counter() - started
            members, gas = desk.submit()
            metrics["registrationSecondsPerVoter"] = round(seconds / members, 3)
            metrics["gasPerRegistration"] = gas // members
            for number, district_id in enumerate(ids):
                root = election.merkle_root(number)
                say(f"  {district_id:<6} {len(voters[district_id]):>3} voters, root {root}")
            say(
                f"  {metrics['registrationSecondsPerVoter']} s a voter at the registrar's desk "
                f"(signature check and tag); {metrics['gasPerRegistration']} gas a voter "
                "(batches of up to 100)"
            )
            elsewhere = Registrar(other, registrar, authorities, out / "registrar-other.json")
            for voter in voters["north"]:  # the same North register, for the replay attempt
                elsewhere.add(0, voter, person_of[voter.commitment])
            elsewhere.submit()

            say("\nRegistration frauds (each must be refused):")
            original = person_of[voters["north"][0].commitment]
            latin = Person(
                transliterate(original.family_name.lower()).upper(),
                transliterate(original.given_names.lower()).upper(),
                original.birth_date,
                transliterate(original.birth_place.lower()).upper(),
            )
            desk_b = Registrar(election, small, authorities, out / "small-batch.json")
            expect_refusal(
                "a registered person at another registrar, name typed in Latin",
                lambda: desk_b.add(1, Identity.generate(), latin),
                "RegistrationRefused",
            )
            tag = person_tag(latin, desk_b.context())
            expect_refusal(
                "the same, sent straight to the contract with the person's tag",
                lambda: election.add_members(small, 1, [Identity.generate().commitment], [tag]),
                "DuplicatePerson",
            )
            desk_b.add(1, Identity.generate(), people.pop())
            expect_refusal(
                "a registrar adding a second voter beyond its quota of 1",
                lambda: desk_b.add(1, Identity.generate(), people.pop()),
                "RegistrationRefused",
            )
            desk_b.submit()
            extra = person_tag(people.pop(), desk_b.context())
            expect_refusal(
                "the same, sent straight to the contract",
                lambda: election.add_members(small, 1, [Identity.generate().commitment], [extra]),
                "QuotaExceeded",
            )
            expect_refusal(
                "a person's tag from one authority alone (2 are needed)",
                lambda: person_tag(original, desk.context(authorities.urls[:1])),
                "TooFewAuthorities",
            )
            election.suspend_registrar(organizer, small.address, "demo: over-quota attempts")
            expect_refusal(
                "a registrar the organizer suspended",
                lambda: election.add_members(small, 1, [Identity.generate().commitment], [extra]),
                "SuspendedRegistrar",
            )
            expect_refusal(
                "registration by an unauthorised account",
                lambda: election.add_members(
                    attacker, 0, [Identity.generate().commitment], [bytes(keccak(b"someone"))]
                ),
                "NotRegistrar",
            )
        say("  (the authorities are stopped; they kept no file and no log of requests)")

        time_travel(w3, election.calendar().voting_start - latest_timestamp(w3))
        say("\nVoting is open. Starting the relayer (a real HTTP server, durable queue).")
        relayer, relayer_url = start_relayer(
            anvil.rpc_url,
            ["0x" + a.key.hex().removeprefix("0x") for a in (relayer_a, relayer_b)],
            out / "relayer.sqlite3",
        )
        intended: dict[int, tuple[int, int]] = {}
        try:
            prover_of = encrypted_prover if encrypted else Prover
            with prover_of(parallel=2) as prover, httpx.Client() as client:
                metrics["proofs"] = 0

                def prepare(contract: Any, votes: Any, **options: Any) -> list[dict[str, Any]]:
                    bodies = prepare_ballots(contract, votes, prover, **options)
                    metrics["proofs"] += len(bodies)
                    return bodies

                votes = []
                for number, district_id in enumerate(ids):
                    weights = PREFERENCES[district_id]
                    for voter in voters[district_id]:
                        choice = rng.choices(range(len(weights)), weights)[0]
                        votes.append((voter, choice))
                        intended[voter.commitment] = (number, choice)
                started = time.perf_counter()
                bodies = prepare(election, votes)
                seconds = time.perf_counter() - started
                metrics["proofSecondsPerBallot"] = round(seconds / len(bodies), 3)
                say(
                    f"  {len(bodies)} proofs made in {seconds:.1f} s "
                    f"({metrics['proofSecondsPerBallot']} s a ballot, 2 processes)"
                )
                started = time.perf_counter()
                with ThreadPoolExecutor(8) as pool:
                    accepted = list(pool.map(lambda b: send_ballot(client, relayer_url, b), bodies))
                    receipts = list(
                        pool.map(lambda a: wait_for_inclusion(client, relayer_url, a), accepted)
                    )
                seconds = time.perf_counter() - started
                metrics["relayerBallotsPerSecond"] = round(len(receipts) / seconds, 1)
                # The relayer batches ballots: a transaction's gas is shared by its ballots.
                gas_by_transaction = {
                    r["transactionHash"]: w3.eth.get_transaction_receipt(r["transactionHash"])[
                        "gasUsed"
                    ]
                    for r in receipts
                }
                metrics["ballotTransactions"] = len(gas_by_transaction)
                metrics["gasPerBallot"] = sum(gas_by_transaction.values()) // len(receipts)
                say(
                    f"  {len(receipts)} ballots on chain in {seconds:.1f} s "
                    f"({metrics['relayerBallotsPerSecond']} ballots/s through the relayer), "
                    f"{metrics['gasPerBallot']} gas a ballot in "
                    f"{metrics['ballotTransactions']} transactions"
                )
                first_round = {v.commitment: b for (v, _), b in zip(votes, bodies, strict=True)}

                say(f"\nRe-voting: {args.revotes} voters change their minds")
                everyone = [v for district_id in ids for v in voters[district_id]]
                revoters = rng.sample(everyone, min(args.revotes, len(everyone) // 2))
                revotes = []
                for voter in revoters:
                    number, old = intended[voter.commitment]
                    lists = len(definition.districts[number].lists)
                    revotes.append((voter, (old + 1) % lists))
                    intended[voter.commitment] = (number, (old + 1) % lists)
                for body in prepare(election, revotes):
                    receipt = wait_for_inclusion(
                        client, relayer_url, send_ballot(client, relayer_url, body)
                    )
                    assert receipt["revision"] == 2
                say(f"  {len(revotes)} re-votes on chain; each replaced the voter's first ballot")

                say("\nFrauds (each must be refused):")
                outsider = Identity.generate()
                made_up = LeanIMT(
                    [*(v.commitment for v in voters["north"][:5]), outsider.commitment]
                )
                fake_state = PublicState(
                    {0: made_up},
                    election.scope(),
                    {},
                    encrypted=encrypted,
                    options=tuple(len(d.lists) for d in definition.districts),
                )
                (forged,) = prepare(election, [(outsider, 0)], state=fake_state)
                expect_refusal(
                    "non-member proof (a register the attacker made up), via relayer",
                    lambda: send_ballot(client, relayer_url, forged),
                    "root_mismatch",
                )
                expect_refusal(
                    "the same, sent straight to the contract",
                    direct(election, attacker, forged),
                    "RootMismatch",
                )
                (elsewhere,) = prepare(other, [(voters["north"][0], 1)])
                elsewhere["election"] = election.address
                expect_refusal(
                    "a registered voter's proof made for another election",
                    lambda: send_ballot(client, relayer_url, elsewhere),
                    "scope_mismatch",
                )
                expect_refusal(
                    "the same, sent straight to the contract",
                    direct(election, attacker, elsewhere),
                    "InvalidProof",
                )
                replayed = first_round[revoters[0].commitment]
                expect_refusal(
                    "replay of a re-voter's superseded first ballot",
                    lambda: send_ballot(client, relayer_url, replayed),
                    "stale_revision",
                )
                expect_refusal(
                    "the same, sent straight to the contract",
                    direct(election, attacker, replayed),
                    "StaleRevision",
                )
                (honest,) = prepare(election, [(voters["south"][1], 0)])
                tampered = dict(
                    honest, proof=[str(int(honest["proof"][0]) ^ 1), *honest["proof"][1:]]
                )
                expect_refusal(
                    "a ballot whose proof was altered (forged)",
                    lambda: send_ballot(client, relayer_url, tampered),
                    "invalid_proof",
                )
                moved = dict(honest, district=2)
                expect_refusal(
                    "a South ballot relabelled as East's",
                    lambda: send_ballot(client, relayer_url, moved),
                    "message_mismatch",
                )
                (late,) = prepare(election, [(voters["east"][2], 0)])
                time_travel(w3, election.calendar().voting_end - latest_timestamp(w3))
                say("  (the voting period has now ended)")
                expect_refusal(
                    "a valid ballot cast after the deadline, via relayer",
                    lambda: send_ballot(client, relayer_url, late),
                    "voting_closed",
                )
                expect_refusal(
                    "the same, sent straight to the contract",
                    direct(election, attacker, late),
                    "VotingClosed",
                )
        finally:
            relayer.terminate()
            relayer.wait(10)

        if encrypted:
            metrics.update(decrypt_tally(w3, election, definition, key, out, organizer, attacker))

        say("\nAppeals: the organizers find fraud proven in East and exclude its ballots")
        evidence = b"Demo evidence: report of the East observers' commission"
        election.exclude_district(
            organizer, 2, "demo: proven fraud in East", bytes(keccak(evidence))
        )
        before = recount(w3, election.address, definition, key, ignore_exclusions=True)
        seats = ", ".join(f"{row['list']} {row['seats']}" for row in before.result["parliament"])
        say(f"  without the exclusion the parliament would be: {seats}")
        expect_refusal(
            "publishing a result during the appeals period",
            lambda: election.publish_result(organizer, b"\x01" * 32),
            "ResultNotYetAllowed",
        )

        time_travel(w3, election.calendar().appeals_end - latest_timestamp(w3))
        say("\nAppeals closed. Recount from public chain data alone (no relayer involved):\n")
        counted = recount(w3, election.address, definition, key)
        (out / "result.json").write_bytes(canonical_result(counted.result))
        election.publish_result(organizer, counted.result_hash)
        counted = recount(w3, election.address, definition, key)
        reports = Reports({"demo relayer": dict(RELAYER_REFUSALS)}, given=True)
        (out / "reports.json").write_text(json.dumps({"relayers": reports.relayer_refusals}) + "\n")
        counted.audit = audit(definition, counted, reports)
        say(render(counted))
        say(
            f"(the relayer refusals above are the ones the demo's clients received, written to "
            f"{out / 'reports.json'}: the relayer does not publish its own counts yet)"
        )
        record = counted.record()
        (out / "recount.json").write_text(json.dumps(record, indent=2) + "\n")
        (out / "chart.svg").write_text(render_svg(counted.result))
        metrics["recountSeconds"] = record["seconds"]
        metrics["registeredVoters"] = record["result"]["registered"]
        metrics["revotes"] = len(revotes)
        metrics["small"] = args.small
        metrics.setdefault("encrypted", False)
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
        say(
            f"\nRecount record {out / 'recount.json'}, result {out / 'result.json'}, "
            f"chart {out / 'chart.svg'}"
        )

        for number, district in enumerate(record["result"]["districts"]):
            expected = [0] * len(district["lists"])
            if not district["excluded"]:
                for chosen_district, choice in intended.values():
                    if chosen_district == number:
                        expected[choice] += 1
            got = [row["votes"] for row in district["lists"]]
            if got != expected:
                say(f"MISMATCH in {district['id']}: voters intended {expected}, counted {got}")
                return 1
        say("The recount matches what every voter intended (East excluded on appeal).")
        say(f"Figures: {json.dumps(metrics)}")
    say("Chain stopped.")
    return 0 if counted.verified and counted.published_matches else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except VecheError as error:
        print(f"demo: error: {error}", file=sys.stderr)
        sys.exit(1)
