# ruff: noqa: RUF001, RUF002 (Cyrillic personal data on purpose)
"""Registering voters on real parts: three dedup authorities over HTTP in their own processes
(k = 2 of 3), a faulty fourth, a real anvil, and the `veche` commands a registrar and an
organizer run. One person registers once, whichever registrar, document or script; no single
party can compute a tag; nothing personal is left in any file or log."""

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.registration_world import (
    IVANOV_CYRILLIC,
    IVANOV_LATIN,
    THRESHOLD,
    RegistrationWorld,
    holder_proof,
    key_of,
    registration_world,
)
from veche.chain.anvil import latest_timestamp, revert_to, snapshot, time_travel
from veche.chain.election import QuotaState
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.identity import Identity
from veche.dedup import oprf
from veche.dedup.errors import TooFewAuthorities, WrongEvaluation
from veche.dedup.keys import load_share
from veche.dedup.normalize import normalize_text
from veche.dedup.oprf import blind
from veche.dedup.person import Person
from veche.dedup.request import sign_request
from veche.dedup.shamir import combine
from veche.devnet import free_port
from veche.errors import ContractRevert
from veche.registrar.batch import load_batch
from veche.registrar.errors import RegistrationRefused, SubmitRefused
from veche.registrar.registration import add_person
from veche.registrar.submit import submit_batch
from veche.registrar.tagging import person_tag

pytestmark = [pytest.mark.chain, pytest.mark.slow]

PEOPLE = [
    IVANOV_CYRILLIC,
    Person("Смирнова", "Анна Сергеевна", "1991-11-02", "Новосибирск"),
    Person("Kuznetsov", "Dmitry Olegovich", "1975-03-30", "Perm"),
    Person("Попова", "Ольга Петровна", "1988-07-09", "Казань"),
    Person("Sokolov", "Pavel", "2001-01-21", "Tver"),
]
"""Everyone whose attributes pass through the tools in this module: the privacy test looks for
each of them everywhere."""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistrationWorld]:
    with registration_world(tmp_path_factory.mktemp("registration")) as running:
        yield running


@pytest.fixture
def fresh(world: RegistrationWorld) -> Iterator[RegistrationWorld]:
    """The world, its chain rolled back after the test (the authorities keep running)."""
    saved = snapshot(world.w3)
    yield world
    revert_to(world.w3, saved)


def add(
    world: RegistrationWorld,
    registrar_name: str,
    person: Person,
    batch: Path,
    *,
    district: int = 0,
    voter: Identity | None = None,
    authorities: list[str] | None = None,
) -> bytes:
    registrar = getattr(world, registrar_name)
    voter = voter or Identity.generate()
    entry = add_person(
        world.election,
        world.context(registrar, authorities),
        batch,
        district=district,
        commitment=voter.commitment,
        holder=holder_proof(voter),
        person=person,
    )
    return entry.tag


# --- the whole flow through the commands --------------------------------------------------------


@pytest.fixture(scope="module")
def registered_with_commands(world: RegistrationWorld) -> None:
    """The registrar's whole flow through the commands, once per module, its chain changes
    rolled back: what it writes and prints stays for the privacy check."""
    _register_with_commands(world)


def test_a_registrar_registers_a_voter_with_the_commands(world: RegistrationWorld) -> None:
    _register_with_commands(world)


def _register_with_commands(world: RegistrationWorld) -> None:
    """challenge -> the voter signs it -> add (tag through the authorities) -> submit ->
    status: the voter's commitment is on chain with a tag that is the keyed function of the
    person, though no single party ever held the key."""
    saved = snapshot(world.w3)
    try:
        key = key_of(world.registrar_a)
        challenge = world.veche("registrar", "challenge").stdout.strip()
        voter = Identity.generate()
        signature = voter.sign(int(challenge))
        batch = world.folder / "cli-batch.json"
        election = ["--rpc", world.rpc_url, "--election", world.election.address]
        added = world.veche(
            "registrar", "add", *election, "--batch", str(batch),
            "--district", "north", "--definition", str(Path("examples/demo.toml").resolve()),
            "--commitment", str(voter.commitment), "--challenge", challenge,
            "--public-key", f"{voter.public_key.x},{voter.public_key.y}",
            "--signature", f"{signature.r8.x},{signature.r8.y},{signature.s}",
            *[arg for url in world.authorities for arg in ("--authority", url)],
            "--authority-keys", str(world.keys_dir / "authorities.json"),
            "--threshold", str(THRESHOLD),
            key=key,
            stdin="Смирнова\nАнна Сергеевна\n1991-11-02\nНовосибирск\n",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        (entry,) = load_batch(batch).entries

        submitted = world.veche("registrar", "submit", *election, "--batch", str(batch), key=key)
        assert submitted.returncode == 0, submitted.stderr
        assert "registered 1 voters" in submitted.stdout
        assert load_batch(batch).entries == []
        (event,) = world.election.member_events()
        assert (event.district, event.commitment, event.tag) == (0, voter.commitment, entry.tag)
        assert event.registrar == world.registrar_a.address

        shares = {s.share.index: s.share.value for s in map(load_share, world.share_files())}
        whole_key = combine(dict(list(shares.items())[:THRESHOLD]))
        message = PEOPLE[1].canonical()
        expected = oprf.tag_of(
            message,
            oprf.direct_output(whole_key, message),
            bytes.fromhex(world.election.address[2:]),
        )
        assert entry.tag == expected

        status = world.veche("registrar", "status", *election, key=key)
        assert "district 0: 1 of 5 used, 4 left" in status.stdout
    finally:
        revert_to(world.w3, saved)


# --- recovery of a lost key through the commands -------------------------------------------------


def test_two_registrars_recover_a_lost_key_with_the_commands(fresh: RegistrationWorld) -> None:
    """add + submit, the key is lost; at two desks the person shows the documents and a new
    key: each registrar's `approve-replacement` recomputes the tag with the authorities and signs
    the replacement of the leaf it locates; `replace` sends it. The approval files hold no
    personal data."""
    batch = fresh.folder / "recovery-batch.json"
    lost = Identity.generate()
    tag = add(fresh, "registrar_a", PEOPLE[4], batch, voter=lost)
    submit_batch(fresh.election, fresh.registrar_a, batch)
    found = Identity.generate()
    election = ["--rpc", fresh.rpc_url, "--election", fresh.election.address]
    person = PEOPLE[4]
    files = []
    for name in ("registrar_a", "registrar_b"):
        challenge = fresh.veche("registrar", "challenge").stdout.strip()
        signature = found.sign(int(challenge))
        files.append(fresh.folder / f"approval-{name}.json")
        approved = fresh.veche(
            "registrar", "approve-replacement", *election, "--out", str(files[-1]),
            "--commitment", str(found.commitment), "--challenge", challenge,
            "--public-key", f"{found.public_key.x},{found.public_key.y}",
            "--signature", f"{signature.r8.x},{signature.r8.y},{signature.s}",
            *[arg for url in fresh.authorities for arg in ("--authority", url)],
            "--authority-keys", str(fresh.keys_dir / "authorities.json"),
            key=key_of(getattr(fresh, name)),
            stdin=f"{person.family_name}\n{person.given_names}\n{person.birth_date}\n"
            f"{person.birth_place}\n",
        )  # fmt: skip
        assert approved.returncode == 0, approved.stderr
        assert f"0x{tag.hex()}" in approved.stdout
        text = files[-1].read_text()
        assert person.family_name not in text and person.birth_date not in text
    replaced = fresh.veche(
        "registrar", "replace", *election, *[a for f in files for a in ("--approval", str(f))],
        key=key_of(fresh.registrar_a),
    )  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr
    assert f"{lost.commitment} -> {found.commitment}" in replaced.stdout
    (event,) = fresh.election.replacement_events()
    assert (event.old_commitment, event.new_commitment, event.tag) == (
        lost.commitment, found.commitment, tag,
    )  # fmt: skip


# --- one person, one registration ---------------------------------------------------------------


def test_the_same_person_registered_at_two_registrars_is_refused(
    fresh: RegistrationWorld, tmp_path: Path
) -> None:
    tag = add(fresh, "registrar_a", PEOPLE[2], tmp_path / "a.json")
    submit_batch(fresh.election, fresh.registrar_a, tmp_path / "a.json")
    with pytest.raises(RegistrationRefused, match="already registered") as refused:
        add(fresh, "registrar_b", PEOPLE[2], tmp_path / "b.json", district=1)
    assert tag.hex() in str(refused.value)
    assert not (tmp_path / "b.json").exists()


def test_a_person_with_two_passports_is_refused(fresh: RegistrationWorld, tmp_path: Path) -> None:
    """Internal passport at one registrar (Cyrillic, "г. Москва"), foreign passport at another
    (Latin, "MOSKVA"), each with its own document number: the attributes are the same, so the
    tag is; the second registration is refused on chain even though both batches were made
    before either was submitted."""
    internal = add(fresh, "registrar_a", IVANOV_CYRILLIC, tmp_path / "a.json")
    foreign = add(fresh, "registrar_b", IVANOV_LATIN, tmp_path / "b.json", district=1)
    assert internal == foreign
    submit_batch(fresh.election, fresh.registrar_a, tmp_path / "a.json")
    before = (tmp_path / "b.json").read_bytes()
    with pytest.raises(SubmitRefused, match=r"entry 1 .* DuplicatePerson") as refused:
        submit_batch(fresh.election, fresh.registrar_b, tmp_path / "b.json")
    assert "nothing was sent" in str(refused.value)
    assert (tmp_path / "b.json").read_bytes() == before, "the batch file is left intact"
    assert fresh.election.member_count(1) == 0


def test_a_submission_is_all_or_nothing(fresh: RegistrationWorld, tmp_path: Path) -> None:
    """A batch whose third entry the chain would refuse sends nothing and keeps every entry."""
    batch = tmp_path / "batch.json"
    add(fresh, "registrar_a", PEOPLE[3], batch)
    add(fresh, "registrar_a", PEOPLE[4], batch)
    add(fresh, "registrar_a", PEOPLE[1], batch)
    # Another registrar registers the same person first: the chain now refuses entry 3's tag.
    third = load_batch(batch).entries[2]
    fresh.election.add_members(fresh.registrar_b, 0, [Identity.generate().commitment], [third.tag])
    before = batch.read_bytes()
    with pytest.raises(SubmitRefused, match=r"entry 3 .*DuplicatePerson.*nothing was sent"):
        submit_batch(fresh.election, fresh.registrar_a, batch)
    assert batch.read_bytes() == before
    assert fresh.election.member_count(0) == 1


# --- registrars' rights ---------------------------------------------------------------------------


def test_a_suspended_registrar_is_refused(fresh: RegistrationWorld, tmp_path: Path) -> None:
    key = key_of(fresh.organizer)
    election = ["--rpc", fresh.rpc_url, "--election", fresh.election.address]
    suspended = fresh.veche(
        "registrars", "suspend", *election, "--registrar", fresh.registrar_b.address,
        "--reason", "audit of forged documents", key=key,
    )  # fmt: skip
    assert suspended.returncode == 0, suspended.stderr
    with pytest.raises(RegistrationRefused, match="is suspended"):
        add(fresh, "registrar_b", PEOPLE[3], tmp_path / "b.json", district=1)
    with pytest.raises(TooFewAuthorities, match="refused with 403"):
        person_tag(PEOPLE[3], fresh.context(fresh.registrar_b))


def test_an_over_quota_registrar_is_refused(fresh: RegistrationWorld, tmp_path: Path) -> None:
    batch = tmp_path / "b.json"
    add(fresh, "registrar_b", PEOPLE[3], batch)
    with pytest.raises(RegistrationRefused, match="quota exhausted in district 0"):
        add(fresh, "registrar_b", PEOPLE[4], batch)
    submit_batch(fresh.election, fresh.registrar_b, batch)
    assert fresh.election.registrar_quota(fresh.registrar_b.address, 0) == QuotaState(1, 1)
    with pytest.raises(ContractRevert, match="QuotaExceeded"):
        fresh.election.add_members(
            fresh.registrar_b, 0, [Identity.generate().commitment], [bytes.fromhex("22" * 32)]
        )


def test_an_unauthorised_address_is_refused(fresh: RegistrationWorld, tmp_path: Path) -> None:
    """Neither the chain nor the authorities serve an address the organizer did not authorise:
    it cannot even compute a tag to test whether someone is registered."""
    with pytest.raises(RegistrationRefused, match="is not a registrar"):
        add(fresh, "outsider", PEOPLE[3], tmp_path / "x.json")
    with pytest.raises(TooFewAuthorities, match="refused with 403"):
        person_tag(PEOPLE[3], fresh.context(fresh.outsider))
    with pytest.raises(ContractRevert, match="NotRegistrar"):
        fresh.election.add_members(
            fresh.outsider, 0, [Identity.generate().commitment], [bytes.fromhex("33" * 32)]
        )


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(["--commitment", "12ab"], id="malformed-commitment"),
        pytest.param(["--district", "7"], id="unknown-district"),
        pytest.param(["--birth-date", "17.05.1980"], id="malformed-birth-date"),
    ],
)
def test_bad_input_gets_one_line_and_leaves_no_batch(
    world: RegistrationWorld, tmp_path: Path, bad: list[str]
) -> None:
    voter = Identity.generate()
    proof = holder_proof(voter)
    arguments = {
        "--commitment": str(voter.commitment),
        "--district": "0",
        "--birth-date": "1975-03-30",
    }
    arguments.update(dict(zip(bad[::2], bad[1::2], strict=True)))
    done = world.veche(
        "registrar", "add", "--rpc", world.rpc_url, "--election", world.election.address,
        "--batch", str(tmp_path / "batch.json"), "--holder-proof", proof.to_text(),
        "--family-name", "Kuznetsov", "--given-names", "Dmitry Olegovich",
        "--birth-place", "Perm", *[arg for pair in arguments.items() for arg in pair],
        "--authority", world.authorities[0], "--authority", world.authorities[1],
        "--authority-keys", str(world.keys_dir / "authorities.json"),
        key=key_of(world.registrar_a),
    )  # fmt: skip
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("veche: error:"), done.stderr
    assert not (tmp_path / "batch.json").exists()


# --- the authorities ------------------------------------------------------------------------------


def test_k_minus_1_authorities_cannot_produce_a_tag(world: RegistrationWorld) -> None:
    with pytest.raises(TooFewAuthorities, match="1 dedup authorities answered, 2 are needed"):
        person_tag(PEOPLE[4], world.context(world.registrar_a, world.authorities[:1]))


def test_an_authority_that_is_down_is_named_and_skipped_while_enough_answer(
    world: RegistrationWorld,
) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TooFewAuthorities, match=f"{down} \\(unreachable"):
        person_tag(PEOPLE[4], world.context(world.registrar_a, [world.authorities[0], down]))
    with_one_down = person_tag(
        PEOPLE[4], world.context(world.registrar_a, [*world.authorities[:2], down])
    )
    assert with_one_down == person_tag(PEOPLE[4], world.context(world.registrar_a))


def test_an_authority_returning_a_wrong_evaluation_is_detected(
    world: RegistrationWorld, tmp_path: Path
) -> None:
    """A faulty authority (its share corrupted) is caught by its proof and named, even when
    the two honest authorities would be enough: a wrong tag would let a person register twice."""
    authorities = [world.authorities[0], world.authorities[1], world.faulty_authority]
    with pytest.raises(WrongEvaluation, match=f"{world.faulty_authority}.*authority 3") as caught:
        add(world, "registrar_a", PEOPLE[4], tmp_path / "batch.json", authorities=authorities)
    assert "report it to the organizers" in str(caught.value)
    assert not (tmp_path / "batch.json").exists()


# --- privacy --------------------------------------------------------------------------------------


def spellings(person: Person) -> set[str]:
    """Every form a person's attributes could be written in: as typed, case-folded, upper case,
    without diacritics, normalized and transliterated, and their words of 4 letters or more;
    the birth date in the usual date formats (never its parts: "1975" is in many numbers)."""
    forms: set[str] = set()
    for value in (person.family_name, person.given_names, person.birth_place):
        for text in (value, value.casefold(), value.upper(), normalize_text(value)):
            stripped = "".join(
                c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
            )
            forms |= {text, stripped, *(w for w in text.replace("-", " ").split() if len(w) >= 4)}
    year, month, day = person.birth_date.split("-")
    forms |= {person.birth_date, f"{year}{month}{day}", f"{day}.{month}.{year}"}
    return {form for form in forms if len(form) >= 4}


def test_no_file_or_log_of_registrars_or_authorities_holds_personal_data(
    world: RegistrationWorld, registered_with_commands: None
) -> None:
    """After the registrar's flow through the commands (whatever else ran before): every file
    under the registrars' and authorities' folder, every authority log and everything the
    commands printed."""
    assert len(list(world.folder.rglob("*"))) >= 5
    texts = [
        path.read_bytes().decode("utf-8", "replace")
        for path in world.folder.rglob("*")
        if path.is_file()
    ]
    texts += world.outputs
    haystack = "\n".join(texts).casefold()
    for person in PEOPLE:
        for form in spellings(person):
            assert form.casefold() not in haystack, f"found {form!r}"
    assert "veche-person" not in haystack


# --- the freeze -----------------------------------------------------------------------------------


def test_registration_after_the_freeze_is_refused(world: RegistrationWorld, tmp_path: Path) -> None:
    batch = tmp_path / "late.json"
    add(world, "registrar_a", PEOPLE[4], batch)
    saved = snapshot(world.w3)
    try:
        time_travel(world.w3, world.calendar.registration_end - latest_timestamp(world.w3))
        before = batch.read_bytes()
        with pytest.raises(SubmitRefused, match=r"RegistrationClosed.*nothing was sent"):
            submit_batch(world.election, world.registrar_a, batch)
        assert batch.read_bytes() == before
        assert world.election.total_members() == 0
    finally:
        revert_to(world.w3, saved)
    assert json.loads(batch.read_text())["entries"], "the late entries are still pending"


def test_an_authority_evaluates_only_group_points_signed_by_a_registrar(
    world: RegistrationWorld,
) -> None:
    """A point of small order would leak the share's low bits; an unsigned (or wrongly signed)
    request would let anyone test persons."""
    chain_id = int(world.w3.eth.chain_id)
    honest = sign_request(world.registrar_a, chain_id, world.election.address, blind(b"x").point)
    url = f"{world.authorities[0]}/evaluate"
    assert httpx.post(url, json=honest.to_json()).status_code == 200

    small_order = dict(honest.to_json(), blinded=["0", str(SNARK_SCALAR_FIELD - 1)])
    answer = httpx.post(url, json=small_order)
    assert (answer.status_code, answer.json()["error"]) == (400, "malformed")

    impostor = sign_request(world.outsider, chain_id, world.election.address, honest.blinded)
    forged = dict(honest.to_json(), signature=impostor.to_json()["signature"])
    answer = httpx.post(url, json=forged)
    assert (answer.status_code, answer.json()["error"]) == (403, "bad_signature")

    elsewhere = dict(honest.to_json(), election=world.outsider.address)
    answer = httpx.post(url, json=elsewhere)
    assert (answer.status_code, answer.json()["error"]) == (403, "unknown_election")


def test_the_organizer_sets_quotas_by_district_id(fresh: RegistrationWorld) -> None:
    done = fresh.veche(
        "registrars", "authorize", "--rpc", fresh.rpc_url, "--election", fresh.election.address,
        "--registrar", fresh.outsider.address, "--definition",
        str(Path("examples/demo.toml").resolve()), "--quota", "east=7", "--quota", "0=2",
        key=key_of(fresh.organizer),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    quotas = [fresh.election.registrar_quota(fresh.outsider.address, d).quota for d in range(3)]
    assert quotas == [2, 0, 7]
    refused = fresh.veche(
        "registrars", "authorize", "--rpc", fresh.rpc_url, "--election", fresh.election.address,
        "--registrar", fresh.outsider.address, "--quota", "0=1", key=key_of(fresh.outsider),
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr == f"veche: error: NotOrganizer(caller={fresh.outsider.address})\n"
