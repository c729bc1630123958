"""The demo's registration: dedup authorities in their own processes, registrars that check each
voter's signature of a challenge, blind person tags through 2 of 3 authorities, batches on
chain, and the registration frauds that must be refused.

Used by scripts/demo.py; the people are synthetic (names drawn from short lists).
"""

import random
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from eth_account.signers.local import LocalAccount

from veche.chain.election import ElectionContract
from veche.crypto.identity import Identity
from veche.dedup.keygen import write_key_files
from veche.dedup.keys import PublicKeySet
from veche.dedup.person import Person
from veche.devnet import ServiceProcess
from veche.registrar.challenge import HolderProof, new_challenge
from veche.registrar.registration import add_person
from veche.registrar.submit import submit_batch
from veche.registrar.tagging import DedupContext

THRESHOLD, SHARES = 2, 3

FAMILY = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов"]
GIVEN = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья"]
PATRONYMIC = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Олегович", "Павлович"]
PLACES = ["Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Пермь"]


def synthetic_people(count: int, rng: random.Random) -> list[Person]:
    """`count` distinct made-up persons (Cyrillic, as from internal passports)."""
    people: dict[bytes, Person] = {}
    while len(people) < count:
        person = Person(
            rng.choice(FAMILY),
            f"{rng.choice(GIVEN)} {rng.choice(PATRONYMIC)}",
            f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(PLACES),
        )
        people[person.canonical()] = person
    return list(people.values())


@dataclass
class Authorities:
    urls: list[str]
    key_set: PublicKeySet


@contextmanager
def dedup_authorities(
    folder: Path, rpc_url: str, elections: Sequence[str]
) -> Iterator[Authorities]:
    """Deals a 2-of-3 key into `folder` and serves each share in its own process."""
    shutil.rmtree(folder, ignore_errors=True)
    key_set = write_key_files(folder, THRESHOLD, SHARES)
    with ExitStack() as stack:
        urls = []
        for index in range(1, SHARES + 1):
            share = folder / f"authority-{index}.json"
            command = [
                sys.executable, "-m", "veche.cli.main", "authority", "serve",
                "--share", str(share), "--rpc", rpc_url,
                *(arg for election in elections for arg in ("--election", election)),
            ]  # fmt: skip
            service = ServiceProcess(
                "dedup authority",
                lambda port, command=command: [*command, "--port", str(port)],
                log=folder / f"authority-{index}.log",
            )
            urls.append(stack.enter_context(service).url)
        yield Authorities(urls, key_set)


def holder_proof(voter: Identity) -> HolderProof:
    """The voter's page signing the registrar's fresh challenge."""
    challenge = new_challenge()
    return HolderProof(challenge, voter.public_key, voter.sign(challenge))


@dataclass
class Registrar:
    """One registrar's desk: its account, its batch file, its view of the authorities."""

    election: ElectionContract
    account: LocalAccount
    authorities: Authorities
    batch: Path

    def context(self, urls: Sequence[str] | None = None) -> DedupContext:
        return DedupContext(
            list(self.authorities.urls if urls is None else urls),
            self.authorities.key_set,
            self.account,
            int(self.election.w3.eth.chain_id),
            self.election.address,
        )

    def add(self, district: int, voter: Identity, person: Person) -> bytes:
        """Checks the voter's signature, makes the tag, appends to the batch; returns the tag."""
        entry = add_person(
            self.election,
            self.context(),
            self.batch,
            district=district,
            commitment=voter.commitment,
            holder=holder_proof(voter),
            person=person,
        )
        return entry.tag

    def submit(self) -> tuple[int, int]:
        """Sends the batch; returns (voters registered, gas used)."""
        report = submit_batch(self.election, self.account, self.batch)
        return report.registered, report.gas_used
