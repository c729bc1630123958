"""A recorded-mode election (`ballot_mode = "recorded"`) in a real browser, on a real chain,
through a real relayer: the chain verifies no record, so the voter's page reads its own records,
verifies their proofs on the device and applies the recount's rule.

- The receipt and "check my ballot" say "recorded on page N, seal valid, the recount will
  count it", never "counted"; the bucket of ballot locations (`veche recount --buckets`) leads
  the page to the record's block.
- A re-vote from a fresh device (the key restored from its backup) takes revision 2, and
  `veche recount` counts it.
- A sealed ballot's 1381-byte record is decoded and verified with the encrypted circuit's key.
- A verified single ballot (`castBallot`, open in this mode) joins the same sequence.
- Junk records posted under the voter's receipt number by an authorised account (higher
  revisions, a proof that is not theirs; one of them challenged and marked invalid) neither
  change what the page reports nor make it skip a revision.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.adversarial.cli import veche
from tests.browser import harness
from tests.browser import pages as views
from tests.browser.conftest import NewContext
from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import grants_everywhere
from veche.crypto.groth16 import Proof
from veche.crypto.identity import Identity
from veche.crypto.prover import Prover
from veche.definition import load
from veche.definition.retime import starting_at
from veche.devnet import ServiceProcess
from veche.keys import ENCRYPTED_DEV_ZK_DIR
from veche.protocol import BallotRecord, decode_encrypted_records, decode_records
from veche.protocol.spec import SPEC
from veche.recount.buckets import bucket_file, bucket_of
from veche.voter import PublicState, ballot_input

SOUTH = 1  # the demo's second district: Green Harbour (0), Common Cause (1)
BUCKET_BITS = 4


@dataclass
class Site:
    world: harness.World
    definition: Path
    relayer: ServiceProcess
    folder: Path
    url: str

    def recount(self, *extra: str) -> dict:
        """`veche recount` as anyone runs it, writing the site's ballot buckets; its record."""
        run = veche(
            "recount", "--rpc", self.world.rpc_url, "--election", self.world.election.address,
            "--definition", str(self.definition), "--buckets", str(self.folder / "buckets"),
            "--bucket-bits", str(BUCKET_BITS), "--json", "-", *extra,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    def records_of(self, nullifier: int) -> list[tuple[int, Any]]:
        """(block, record) of every record carrying `nullifier`, in chain order."""
        encrypted = self.world.definition.ballot_secrecy.value == "encrypted"
        decode = decode_encrypted_records if encrypted else decode_records
        return [
            (batch.block_number, record)
            for batch in self.world.election.recorded_batches()
            for record in decode(batch.records)
            if record.nullifier == nullifier
        ]


@contextmanager
def _recorded_site(pages: Path, folder: Path, header: str = "") -> Iterator[Site]:
    """The demo election in the recorded mode (`header`: more definition lines), its
    definition file's calendar the contract's (so that `veche recount` finds no discrepancy),
    one authorised relayer serving the page."""
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_account = dev_accounts(3)
        text = starting_at(harness.DEMO_DEFINITION.read_text(), latest_timestamp(w3))
        definition_file = folder / "recorded.toml"
        definition_file.write_text(f'ballot_mode = "recorded"\n{header}{text}')
        definition = load(definition_file)
        election = deploy_from_definition(
            w3, organizer, definition,
            registrars=grants_everywhere(registrar.address, len(definition.districts), 1_000),
        )  # fmt: skip
        time_travel(w3, max(0, election.calendar().registration_start - latest_timestamp(w3)))
        election.authorize_relayer(organizer, relayer_account.address)
        world = harness.World(
            anvil, w3, definition, election, election.calendar(), organizer, registrar,
            relayer_account,
        )  # fmt: skip
        relayer = harness.start_relayer(world.rpc_url, relayer_account, folder / "relayer")
        try:
            site = harness.write_site(
                pages, folder / "site", world, [relayer.url], ballotBuckets="buckets"
            )
            with harness.static_server(site) as url:
                yield Site(world, definition_file, relayer, site, url)
        finally:
            relayer.stop()


@pytest.fixture
def site(pages: Path, tmp_path: Path) -> Iterator[Site]:
    with _recorded_site(pages, tmp_path) as running:
        yield running


@pytest.fixture
def encrypted_site(pages: Path, tmp_path: Path) -> Iterator[Site]:
    """The same with sealed ballots (the development election key): 1381-byte records."""
    key = ENCRYPTED_DEV_ZK_DIR / SPEC["encryption"]["developmentElectionKey"]
    header = f'ballot_secrecy = "encrypted"\nelection_key = "{key}"\n'
    with _recorded_site(pages, tmp_path, header) as running:
        yield running


def _registered_voter(site: Site, new_context: NewContext) -> tuple[views.VoterPage, str]:
    """A voter with a key on one device, registered in South (with two others), voting open;
    and the key's backup, to carry it to another device."""
    voter = views.VoterPage(new_context().new_page(), site.url).open()
    commitment = voter.create_identity()
    backup = voter.backup_text()
    site.world.register("south", [int(commitment)])
    site.world.fill_district("south", 2)
    site.world.open_voting()
    site.recount()  # the site's first ballot buckets (empty)
    return voter, backup


def _wait_until_recorded(voter: views.VoterPage, revision: int) -> dict[str, str]:
    """Waits for the receipt of ballot `revision` to be read back from the chain with a valid
    proof; returns its fields."""
    fields = voter.page.locator("#receipt-fields")
    expect(fields.locator("dd[data-field=revision]")).to_have_text(
        str(revision), timeout=views.INCLUDED_TIMEOUT_MS
    )
    expect(fields).to_have_attribute("data-status", "recorded", timeout=views.INCLUDED_TIMEOUT_MS)
    return voter.receipt()


def _on_a_fresh_device(site: Site, new_context: NewContext, backup: str) -> views.VoterPage:
    voter = views.VoterPage(new_context().new_page(), site.url).open()
    voter.restore_from_text(backup)
    voter.commitment()
    return voter


def _check_anew(voter: views.VoterPage, nullifier: str | None = None) -> dict[str, str]:
    """ "Check my ballot", waiting for this check's answer (not an earlier one still shown)."""
    voter.page.evaluate("document.getElementById('check-result').replaceChildren()")
    return voter.check_ballot(nullifier)


def _south_votes(record: dict) -> dict[str, int]:
    """South's votes per list in a recount record."""
    [south] = [d for d in record["result"]["districts"] if d["id"] == "south"]
    return {entry["name"]: entry["votes"] for entry in south["lists"]}


def test_a_record_is_found_as_recorded_and_a_revote_from_a_fresh_device_counts(
    site: Site, new_context: NewContext
) -> None:
    first, backup = _registered_voter(site, new_context)
    first.open_ballot()
    first.vote_for("Common Cause")
    receipt = _wait_until_recorded(first, revision=1)
    nullifier = int(receipt["nullifier"])
    [(block, record)] = site.records_of(nullifier)
    assert (record.district, record.choice, record.revision) == (SOUTH, 1, 1)
    assert receipt["block"] == str(block)
    assert "recount will count it" in receipt["status"]
    assert "counted" not in receipt["status"].replace("will count", "")

    # "Check my ballot" through the bucket, which names the record's block.
    site.recount()
    bucket = json.loads(
        (site.folder / "buckets" / bucket_file(bucket_of(nullifier, BUCKET_BITS), BUCKET_BITS))
        .read_text()
    )  # fmt: skip
    assert [e for e in bucket["ballots"] if e[0] == str(nullifier)] == [[str(nullifier), block, 0]]
    checked = _check_anew(first)
    expect(first.page.locator("#check-result [data-outcome]")).to_have_attribute(
        "data-outcome", "recorded"
    )
    assert (checked["choice"], checked["revision"], checked["block"]) == (
        "Common Cause", "1", str(block),
    )  # fmt: skip
    assert checked["status"].startswith(f"recorded on page {block}")
    assert (
        "the recount, which anyone can run, will count it"
        in first.page.locator("#check-result [data-outcome]").inner_text()
    )

    # Another device, the same key: the page follows the recorded sequence.
    second = _on_a_fresh_device(site, new_context, backup)
    second.open_ballot()
    expect(second.page.locator("#revote-note")).to_be_visible()
    expect(second.page.locator("#revote-note")).to_contain_text("1")
    second.vote_for("Green Harbour")
    again = _wait_until_recorded(second, revision=2)
    assert again["nullifier"] == str(nullifier)
    assert [r.revision for _, r in site.records_of(nullifier)] == [1, 2]

    counted = site.recount()
    assert counted["result"]["ballots"]["counted"] == 1, counted["result"]["ballots"]
    assert _south_votes(counted) == {"Green Harbour": 1, "Common Cause": 0}
    checked = _check_anew(second)
    assert (checked["choice"], checked["revision"], checked["count"]) == ("Green Harbour", "2", "2")


def test_junk_records_under_the_voters_number_change_nothing_the_page_says(
    site: Site, new_context: NewContext
) -> None:
    first, backup = _registered_voter(site, new_context)
    first.open_ballot()
    first.vote_for("Green Harbour")
    nullifier = int(_wait_until_recorded(first, revision=1)["nullifier"])
    [(_, real)] = site.records_of(nullifier)

    # An authorised account posts records under the voter's number: revisions 2 and 3 for the
    # other list, carrying the voter's real proof (valid only for revision 1's message).
    world = site.world
    attacker = dev_accounts(4)[3]
    world.election.authorize_relayer(world.organizer, attacker.address)
    junk = [
        BallotRecord(nullifier, real.proof, SOUTH, 1, 2),
        BallotRecord(nullifier, real.proof, SOUTH, 1, 3),
    ]
    world.election.record_ballots(attacker, junk)
    # Anyone challenges the first junk record: the chain marks it invalid (RecordedBallotInvalid).
    batches = world.election.recorded_batches()
    [posted] = [b for b in batches if b.relayer.lower() == attacker.address.lower()]
    world.election.challenge_ballot(world.organizer, posted, 0)
    assert len(world.election.invalid_record_events()) == 1

    second = _on_a_fresh_device(site, new_context, backup)
    site.recount()  # the buckets name revision 1's block
    checked = _check_anew(second, str(nullifier))
    assert (checked["choice"], checked["revision"], checked["count"]) == ("Green Harbour", "1", "3")
    second.open_ballot()
    expect(second.page.locator("#revote-note")).to_contain_text("1")
    second.vote_for("Common Cause")
    _wait_until_recorded(second, revision=2)
    assert [r.revision for _, r in site.records_of(nullifier)] == [1, 2, 3, 2]

    counted = site.recount()
    assert _south_votes(counted) == {"Green Harbour": 0, "Common Cause": 1}
    checked = _check_anew(second)
    assert (checked["choice"], checked["revision"]) == ("Common Cause", "2")


def test_a_sealed_record_is_decoded_and_verified_with_the_encrypted_circuits_key(
    encrypted_site: Site, new_context: NewContext
) -> None:
    site = encrypted_site
    first, backup = _registered_voter(site, new_context)
    first.open_ballot()
    first.vote_for("Common Cause")
    nullifier = int(_wait_until_recorded(first, revision=1)["nullifier"])
    [(block, record)] = site.records_of(nullifier)
    assert (record.district, record.revision, len(record.ciphertext)) == (SOUTH, 1, 1088)

    second = _on_a_fresh_device(site, new_context, backup)
    site.recount()
    checked = _check_anew(second, str(nullifier))
    assert checked["choice"].startswith("Sealed")
    assert (checked["revision"], checked["block"]) == ("1", str(block))
    assert checked["status"].startswith(f"recorded on page {block}")
    second.open_ballot()
    second.vote_for("Green Harbour")
    _wait_until_recorded(second, revision=2)
    assert [r.revision for _, r in site.records_of(nullifier)] == [1, 2]


def test_a_verified_single_ballot_joins_the_recorded_sequence(
    site: Site, new_context: NewContext
) -> None:
    """A voter whose relayers refuse them casts directly (`castBallot` stays open in this mode):
    the page puts that ballot and the records in one sequence."""
    identity = Identity.generate()
    first = views.VoterPage(new_context().new_page(), site.url).open()
    first.restore_from_text(identity.export())
    world = site.world
    world.register("south", [identity.commitment])
    world.fill_district("south", 2)
    world.open_voting()
    site.recount()
    first.open_ballot()
    first.vote_for("Green Harbour")
    nullifier = int(_wait_until_recorded(first, revision=1)["nullifier"])

    state = PublicState.download(world.election)
    with Prover() as prover:
        proved = prover.prove(
            ballot_input(state.registers[SOUTH], state.scope, identity, SOUTH, 1, 2)
        )
    packed = Proof.from_snarkjs(proved["proof"]).packed()
    world.election.cast_ballot(
        world.organizer, SOUTH, int(proved["publicSignals"][0]), nullifier, 1, 2, packed
    )

    second = _on_a_fresh_device(site, new_context, identity.export())
    site.recount()
    checked = _check_anew(second, str(nullifier))
    assert (checked["choice"], checked["revision"]) == ("Common Cause", "2")
    second.open_ballot()
    second.vote_for("Green Harbour")
    _wait_until_recorded(second, revision=3)
    assert _south_votes(site.recount()) == {"Green Harbour": 1, "Common Cause": 0}
    checked = _check_anew(second)
    assert (checked["choice"], checked["revision"], checked["count"]) == ("Green Harbour", "3", "3")
