"""An encrypted election end to end, beside a plain twin with the same voters and choices.

Real anvil, real relayer over HTTP (one serving both elections), real proofs of the encrypted
ballot circuit of the development election key, the development trustees' real partial
decryptions published on chain. The run is done once (module fixture) in stages, each stage's
recount kept: voting closed with no decryption (turnout only), one forged and one valid partial
decryption (fewer than k valid: cannot be decrypted), then a second valid one (decrypted, the
forgery reported). Each test reads what it needs from the run, in any order.
"""

import json
import os
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from tests.integration.conftest import make_relayer
from tests.person_tags import stand_in_tags
from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import ElectionContract, grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.hashing import message_signal
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover, encrypted_prover
from veche.definition import load
from veche.definition.retime import starting_at
from veche.recount import RecountResult, recount
from veche.recount.keycheck import default_verification_key
from veche.trustees.decrypt import partial_decryption
from veche.trustees.development import DEVELOPMENT_KEY, development_trustee_shares
from veche.voter import prepare_ballots, send_ballot, wait_for_inclusion

pytestmark = [pytest.mark.chain, pytest.mark.slow]

CHOICES = {"north": [0, 2, 1, 0], "south": [1, 1, 0]}
REVOTES = {("north", 1): 0, ("south", 2): 1}
"""(district, voter) -> the choice of that voter's second ballot."""


@dataclass
class Run:
    folder: Path
    rpc_url: str
    encrypted: ElectionContract
    plain: ElectionContract
    definition_file: Path
    stages: dict[str, RecountResult] = field(default_factory=dict)
    exit_codes: dict[str, int] = field(default_factory=dict)
    plain_result: RecountResult | None = None
    relayer_folder: Path | None = None
    voters_choices: list[int] = field(default_factory=list)
    ballots: list[tuple[int, int, int]] = field(default_factory=list)
    """(district, choice, revision) of every ballot sent, in each election."""


def _recount_cli(run: Run) -> int:
    """`veche recount` as a person runs it: its exit code."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "veche.cli.main",
            "recount",
            "--rpc",
            run.rpc_url,
            "--election",
            run.encrypted.address,
            "--definition",
            str(run.definition_file),
            "--json",
            "-",
        ],
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    return done.returncode


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    folder = tmp_path_factory.mktemp("encrypted-election")
    warnings.simplefilter("ignore")
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, paying, anyone = dev_accounts(4)
        text = starting_at((REPO_ROOT / "examples" / "demo.toml").read_text(), latest_timestamp(w3))
        (folder / "plain.toml").write_text(text)
        first_key = text.index("\ntitle = ") + 1
        (folder / "encrypted.toml").write_text(
            text[:first_key]
            + f'ballot_secrecy = "encrypted"\nelection_key = "{DEVELOPMENT_KEY}"\n'
            + text[first_key:]
        )
        elections = {}
        for kind in ("encrypted", "plain"):
            definition = load(folder / f"{kind}.toml")
            grants = grants_everywhere(registrar.address, len(definition.districts), 100)
            elections[kind] = deploy_from_definition(w3, organizer, definition, registrars=grants)
        voters = {d: [Identity.generate() for _ in choices] for d, choices in CHOICES.items()}
        for election in elections.values():
            for number, district in enumerate(("north", "south")):
                members = [v.commitment for v in voters[district]]
                election.add_members(registrar, number, members, stand_in_tags(members))
        time_travel(w3, elections["plain"].calendar().voting_start - latest_timestamp(w3))
        relayer_folder = folder / "relayer"
        relayer_folder.mkdir()
        paid_by = SimpleNamespace(rpc_url=anvil.rpc_url, relayer_accounts=[paying])
        relayer = make_relayer(paid_by, relayer_folder, VECHE_BATCH_WAIT_MS="50").start()
        rounds = [
            [(voters[d][i], c) for d, choices in CHOICES.items() for i, c in enumerate(choices)],
            [(voters[d][i], c) for (d, i), c in REVOTES.items()],
        ]
        try:
            with encrypted_prover() as sealed, Prover() as clear, httpx.Client() as client:
                for votes in rounds:
                    for election, prover in (
                        (elections["encrypted"], sealed),
                        (elections["plain"], clear),
                    ):
                        bodies = prepare_ballots(election, votes, prover)
                        accepted = [send_ballot(client, relayer.url, b) for b in bodies]
                        for acceptance in accepted:
                            wait_for_inclusion(client, relayer.url, acceptance)
        finally:
            relayer.stop()
        time_travel(w3, elections["plain"].calendar().voting_end - latest_timestamp(w3))
        result = Run(
            folder,
            anvil.rpc_url,
            elections["encrypted"],
            elections["plain"],
            folder / "encrypted.toml",
            relayer_folder=relayer_folder,
            voters_choices=[c for choices in CHOICES.values() for c in choices],
            ballots=[(n, c, 1) for n, choices in enumerate(CHOICES.values()) for c in choices]
            + [(list(CHOICES).index(d), c, 2) for (d, _), c in REVOTES.items()],
        )
        definition = load(folder / "encrypted.toml")
        key = default_verification_key(definition)

        def stage(name: str) -> None:
            result.stages[name] = recount(w3, result.encrypted.address, definition, key)
            result.exit_codes[name] = _recount_cli(result)

        stage("pending")
        sums = result.stages["pending"].decryption.sums  # type: ignore[union-attr]
        shares = {share.index: share for share in development_trustee_shares()}
        forged = bytearray(partial_decryption(shares[1], sums))
        forged[0] ^= 1  # trustee 1's data, one byte changed, sent in trustee 2's name
        result.encrypted.publish_decryption(anyone, 2, bytes(forged))
        result.encrypted.publish_decryption(anyone, 1, partial_decryption(shares[1], sums))
        stage("one valid")
        result.encrypted.publish_decryption(anyone, 3, partial_decryption(shares[3], sums))
        stage("decrypted")
        plain_definition = load(folder / "plain.toml")
        result.plain_result = recount(
            w3, result.plain.address, plain_definition, default_verification_key(plain_definition)
        )
        yield result


def test_the_encrypted_tally_with_revotes_equals_the_plain_tally(run: Run) -> None:
    decrypted, plain = run.stages["decrypted"], run.plain_result
    assert plain is not None and plain.verified
    assert decrypted.verified, decrypted.discrepancies
    assert decrypted.decrypted and run.exit_codes["decrypted"] == 0
    votes = [[row["votes"] for row in d["lists"]] for d in decrypted.result["districts"]]
    assert votes == [[row["votes"] for row in d["lists"]] for d in plain.result["districts"]]
    assert sum(map(sum, votes)) == len(run.voters_choices)
    assert decrypted.result["ballots"]["superseded"] == len(REVOTES)
    assert decrypted.result["parliament"] == plain.result["parliament"]


def test_a_wrong_partial_decryption_is_reported_and_the_result_comes_from_k_valid(run: Run) -> None:
    decryption = run.stages["decrypted"].decryption
    assert decryption is not None and decryption.trustees == [1, 3]
    (refused,) = decryption.refused
    assert "trustee 2" in refused and "district 0" in refused


def test_below_k_valid_partials_the_result_cannot_be_decrypted(run: Run) -> None:
    below = run.stages["one valid"]
    assert not below.decrypted and not below.verified
    assert any("cannot be decrypted" in d for d in below.discrepancies)
    assert run.exit_codes["one valid"] != 0


def test_before_decryption_the_recount_shows_turnout_only(run: Run) -> None:
    pending = run.stages["pending"]
    assert pending.verified and run.exit_codes["pending"] == 0
    record = pending.record()
    assert record["decryption"]["status"] == "pending"
    assert record["resultHash"] is None
    text = json.dumps(record["result"])
    assert "votes" not in text and "seats" not in text and "lists" not in text
    assert [d["ballots"] for d in record["result"]["districts"]][:2] == [4, 3]


def _plain_choices(folder: Path, election: str, ballots: list[tuple[int, int, int]]) -> list[str]:
    """Where the relayer's files (its database, its WAL, its log) hold a choice of `election`'s
    `ballots` ((district, choice, revision) each) in plain text: a `choice` cell, a log line
    naming a choice, or a ballot's message signal with its choice (decimal, hex or bytes)."""
    found = []
    db = sqlite3.connect(f"file:{folder / 'relayer.sqlite3'}?mode=ro", uri=True)
    for (choice,) in db.execute("SELECT choice FROM submissions WHERE election=?", (election,)):
        if choice is not None:
            found.append(f"submissions.choice = {choice}")
    db.close()
    tells = set()
    for district, choice, revision in ballots:
        if choice:  # choice 0 is the encrypted ballots' message: it says nothing
            signal = message_signal(choice, revision, district)
            tells |= {str(signal).encode(), f"{signal:x}".encode(), signal.to_bytes(32, "big")}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        found += [f"{path.name}: a message signal with its choice" for t in tells if t in data]
        for line in data.decode(errors="replace").splitlines():
            if election.lower() in line.lower() and "choice" in line:
                found.append(f"{path.name}: {line[:120]}")
    return found


def test_the_relayer_stores_no_plain_choice_of_an_encrypted_ballot(run: Run) -> None:
    assert run.relayer_folder is not None
    db = sqlite3.connect(f"file:{run.relayer_folder / 'relayer.sqlite3'}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT ciphertext FROM submissions WHERE election=?", (run.encrypted.address,)
    ).fetchall()
    db.close()
    assert len(rows) == len(run.ballots) and all(len(c) == 1088 for (c,) in rows)
    assert _plain_choices(run.relayer_folder, run.encrypted.address, run.ballots) == []
    # The same check on the plain twin (same voters, same choices) finds them: it can fail.
    assert _plain_choices(run.relayer_folder, run.plain.address, run.ballots) != []
