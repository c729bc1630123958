"""Fuzzing the relayer's HTTP API, bounded in time: random and mutated requests against the
real relayer process must get a specific 4xx (or 202), never a 500, and leave no traceback in
its log. Hypothesis keeps the failing example if one is found."""

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adversarial.catalogue import RELAYER, attack, fuzzing
from tests.adversarial.http.ballots import post
from veche.protocol.spec import RELAYER_ERRORS
from veche.voter import prepare_ballots

pytestmark = [pytest.mark.chain, pytest.mark.slow]

EXAMPLES = 150
"""Per fuzz test: about 10-20 s each on a shared 2-core machine."""

ALLOWED = {202, 400, 403, 404, 405, 409, 413, 422, 429}
"""405: a path such as `/ballots/.` is normalised to `/ballots`, which only takes POST."""
FIELDS = ("election", "district", "choice", "revision", "proof", "publicSignals")

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**300), max_value=2**300)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80),
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=12), children, max_size=6)
    ),
    max_leaves=20,
)
numberish = st.one_of(
    st.integers(min_value=0, max_value=2**300).map(str),
    st.text(alphabet="0123456789x-+ .eE", max_size=90),
)


@pytest.fixture(scope="module")
def valid(world, prover) -> dict[str, Any]:
    (body,) = prepare_ballots(world.election, [(world.voters["south"][3], 1)], prover)
    return body


def _check(relayer, response: httpx.Response) -> None:
    assert response.status_code in ALLOWED, (response.status_code, response.text)
    body = response.json()
    assert set(body) >= ({"error", "detail"} if response.status_code != 202 else {"status"})
    if response.status_code != 202:  # a code the voter's page has a sentence for
        assert body["error"] in RELAYER_ERRORS, body


@attack(
    "relayer",
    f"Fuzzing POST /ballots: {EXAMPLES} ballots with one field replaced by random JSON",
    RELAYER,
    refusal="a specific 4xx (400 malformed, 404, 409, 422...) for each; never a 500",
)
@fuzzing("relayer process", "a valid ballot with one field replaced by random JSON", EXAMPLES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(FIELDS), value=json_values | st.lists(numberish, max_size=9))
def test_fuzzed_ballot_fields_get_a_specific_answer(relayer, valid, field, value) -> None:
    _check(relayer, post(relayer.url, {**valid, field: value}))


@attack(
    "relayer",
    f"Fuzzing the request line: {EXAMPLES} random nullifier paths and election parameters",
    RELAYER,
    refusal="400 malformed or 404 no_ballot / unknown_election; never a 500",
)
@fuzzing("relayer process", "random nullifier paths and election parameters", EXAMPLES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(nullifier=numberish.filter(lambda s: s.strip() and "/" not in s), election=numberish)
def test_fuzzed_lookups_get_a_specific_answer(world, relayer, nullifier, election) -> None:
    params = {"election": election if election.startswith("0x") else world.election.address}
    response = httpx.get(f"{relayer.url}/ballots/{nullifier}", params=params, timeout=30)
    _check(relayer, response)


@attack(
    "relayer",
    f"Fuzzing raw bodies: {EXAMPLES} random byte strings and JSON documents as a ballot",
    RELAYER,
    refusal="400 malformed (or 413); never a 500",
)
@fuzzing("relayer process", "random byte strings and JSON documents as a ballot", EXAMPLES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.binary(max_size=400) | json_values.map(lambda v: json.dumps(v).encode()))
def test_fuzzed_raw_bodies_are_refused_cleanly(relayer, raw) -> None:
    response = httpx.post(
        f"{relayer.url}/ballots", content=raw, headers={"content-type": "application/json"}
    )
    _check(relayer, response)


def test_fuzzing_left_no_traceback_in_the_log(relayer) -> None:
    log = relayer.log.read_text()
    assert "Traceback" not in log and "internal error" not in log, log[-2000:]
