"""Computing a person's dedup tag through the authorities (the registrar's side of the OPRF).

Every answering authority's evaluation is checked against its public key share from the pinned
key set, so a wrong evaluation is detected and the authority named (`WrongEvaluation`), never
used. Authorities that are down or refuse are skipped while enough others answer; with fewer
than the threshold the registrar gets `TooFewAuthorities` and no tag. The attributes never leave
this process: the authorities receive a blinded point only.
"""

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
from eth_account.signers.local import LocalAccount

from veche.crypto.babyjub import Point
from veche.dedup.dleq import DleqProof, verify
from veche.dedup.errors import (
    AuthorityError,
    DedupError,
    TooFewAuthorities,
    WrongEvaluation,
)
from veche.dedup.group import from_json
from veche.dedup.keys import PublicKeySet
from veche.dedup.oprf import blind, combine, tag_of, unblind
from veche.dedup.person import Person
from veche.dedup.request import EvaluationRequest, sign_request

AUTHORITY_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class DedupContext:
    """Everything the registrar needs to ask for tags in one election."""

    authorities: Sequence[str]
    """The authorities' base URLs."""
    key_set: PublicKeySet
    """The pinned public key set (`authorities.json`)."""
    registrar: LocalAccount
    chain_id: int
    election: str
    timeout: float = AUTHORITY_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if not self.authorities:
            raise TooFewAuthorities("no dedup authority was given")
        if len(set(self.authorities)) != len(self.authorities):
            raise DedupError("an authority is listed twice")


def person_tag(person: Person, context: DedupContext) -> bytes:
    """The person's 32-byte dedup tag, from the first `k` valid evaluations by index."""
    message = person.canonical()
    blinded = blind(message)
    request = sign_request(context.registrar, context.chain_id, context.election, blinded.point)
    with ThreadPoolExecutor(len(context.authorities)) as pool:
        results = list(pool.map(lambda url: _ask(url, request, context), context.authorities))
    answers: dict[int, Point] = {}
    failures: list[str] = []
    for url, result in zip(context.authorities, results, strict=True):
        if isinstance(result, WrongEvaluation):
            raise result
        if isinstance(result, AuthorityError):
            failures.append(f"{result.authority} ({result.reason})")
            continue
        index, point = result
        if index in answers:
            raise WrongEvaluation(url, f"answered as authority {index}, as another one did")
        answers[index] = point
    threshold = context.key_set.threshold
    if len(answers) < threshold:
        raise TooFewAuthorities(
            f"{len(answers)} dedup authorities answered, {threshold} are needed"
            + (f"; failed: {', '.join(failures)}" if failures else "")
        )
    chosen = dict(sorted(answers.items())[:threshold])
    output = unblind(blinded, combine(chosen))
    return tag_of(message, output, bytes.fromhex(context.election[2:]))


def _ask(
    url: str, request: EvaluationRequest, context: DedupContext
) -> tuple[int, Point] | AuthorityError:
    """One authority's checked evaluation, or the reason it cannot be used."""
    try:
        response = httpx.post(
            f"{url.rstrip('/')}/evaluate", json=request.to_json(), timeout=context.timeout
        )
    except httpx.HTTPError as error:
        return AuthorityError(url, f"unreachable ({type(error).__name__})")
    if response.status_code != 200:
        return AuthorityError(url, f"refused with {response.status_code}: {_detail(response)}")
    try:
        body = response.json()
        index = int(body["index"])
        evaluation = from_json(body["evaluation"], "evaluation")
        proof = DleqProof(int(body["proof"]["c"]), int(body["proof"]["s"]))
    except (ValueError, KeyError, TypeError, DedupError) as error:
        return WrongEvaluation(url, f"malformed answer ({error})")
    public_key = context.key_set.public_keys.get(index)
    if public_key is None:
        return WrongEvaluation(url, f"answered as authority {index}, which is not in the key set")
    if not verify(proof, public_key, request.blinded, evaluation):
        return WrongEvaluation(
            url,
            f"authority {index}'s evaluation does not match its public key share "
            "(faulty or cheating: report it to the organizers)",
        )
    return index, evaluation


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", response.text))[:200]
    except ValueError:
        return response.text[:200]
