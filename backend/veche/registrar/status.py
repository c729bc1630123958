"""A registrar's standing in an election: authorised, suspended, and quota used per district."""

from dataclasses import dataclass

from veche.chain.election import ElectionContract, QuotaState


@dataclass(frozen=True)
class RegistrarStatus:
    registrar: str
    authorized: bool
    suspended: bool
    quotas: dict[int, QuotaState]
    """Districts where the registrar has (or had) a quota."""


def registrar_status(election: ElectionContract, registrar: str) -> RegistrarStatus:
    """Reads the registrar's state and its quota in every district from the chain."""
    state = election.registrar_state(registrar)
    quotas = {
        district: quota
        for district in range(election.district_count())
        if (quota := election.registrar_quota(registrar, district)).quota or quota.used
    }
    return RegistrarStatus(registrar, state.authorized, state.suspended, quotas)
