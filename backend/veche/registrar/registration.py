"""Adding one person to the pending batch: the whole `veche registrar add` in one call.

Order matters: everything that can be checked without the attributes is checked first (the
holder proof, the district, the registrar's rights and quota), then the tag is made, then the
chain and the batch are asked whether the person is registered already. Only the entry
`(district, commitment, tag)` is kept; the attributes are dropped with this call's frame.
"""

from pathlib import Path

from veche.chain.election import ElectionContract
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.dedup.person import Person
from veche.registrar.batch import PendingEntry, open_batch, save_batch
from veche.registrar.challenge import HolderProof, verify_holder
from veche.registrar.errors import RegistrationRefused
from veche.registrar.tagging import DedupContext, person_tag


def add_person(
    election: ElectionContract,
    context: DedupContext,
    batch_path: Path,
    *,
    district: int,
    commitment: int,
    holder: HolderProof,
    person: Person,
    now: int | None = None,
) -> PendingEntry:
    """Checks everything, makes the tag, appends the entry to the batch file and returns it.

    Raises `InvalidHolderProof`, `RegistrationRefused`, `InvalidAttribute` or a dedup error
    (authority down or wrong, too few authorities), and then the batch file is unchanged.
    """
    if not 0 < commitment < SNARK_SCALAR_FIELD:
        raise RegistrationRefused(f"commitment {commitment} is not a non-zero field element")
    verify_holder(holder, commitment, now=now)
    batch = open_batch(batch_path, context.chain_id, election.address)
    _require_quota(election, context.registrar.address, district, batch.count_in(district))
    if batch.holds_commitment(commitment):
        raise RegistrationRefused(f"commitment {commitment} is already in the pending batch")
    person.canonical()  # refuses malformed attributes before any authority is asked
    tag = person_tag(person, context)
    if batch.holds_tag(tag) or election.tag_used(tag):
        raise RegistrationRefused(
            "this person is already registered (by this or another registrar): "
            f"duplicate person tag 0x{tag.hex()}"
        )
    entry = PendingEntry(district, commitment, tag)
    batch.entries.append(entry)
    save_batch(batch_path, batch)
    return entry


def _require_quota(election: ElectionContract, registrar: str, district: int, pending: int) -> None:
    count = election.district_count()
    if not 0 <= district < count:
        raise RegistrationRefused(f"unknown district {district}: the election has 0..{count - 1}")
    state = election.registrar_state(registrar)
    if not state.authorized:
        raise RegistrationRefused(f"{registrar} is not a registrar of {election.address}")
    if state.suspended:
        raise RegistrationRefused(f"registrar {registrar} is suspended")
    quota = election.registrar_quota(registrar, district)
    if quota.quota == 0:
        raise RegistrationRefused(f"registrar {registrar} has no quota in district {district}")
    if quota.remaining - pending < 1:
        raise RegistrationRefused(
            f"quota exhausted in district {district}: {quota.used} registered and {pending} "
            f"pending of {quota.quota}"
        )
