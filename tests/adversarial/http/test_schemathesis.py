"""Schemathesis against the real relayer process: requests generated from the relayer's own
OpenAPI document (valid and invalid by the schema) must get an answer the document declares,
in the declared shape, never a 500, and leave no traceback in the relayer's log.

Bounded: `EXAMPLES` a operation (three operations: POST /ballots, GET /ballots/{nullifier},
GET /health), about 20 s on a shared 2-core machine.
"""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.adversarial.catalogue import RELAYER, attack, fuzzing

pytestmark = [pytest.mark.chain, pytest.mark.slow]

EXAMPLES = 60
"""Per operation and generation mode (positive: valid by the schema; negative: not)."""

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


def _operations(relayer) -> list[Any]:
    """Every operation of the relayer's OpenAPI document, read from the running relayer."""
    loaded = schemathesis.openapi.from_url(f"{relayer.url}/openapi.json")
    return [result.ok() for result in loaded.get_all_operations()]


def _has_inputs(operation: Any) -> bool:
    return bool(operation.path_parameters or operation.query or operation.body)


@attack(
    "relayer",
    f"Schemathesis: {EXAMPLES} requests an operation and mode generated from the relayer's "
    "OpenAPI document, valid and invalid by the schema",
    RELAYER,
    refusal="every answer a status and body the document declares (no 500, no undeclared "
    "code, no traceback in the log)",
)
@fuzzing(
    "relayer process (OpenAPI)",
    "schemathesis: requests valid by the schema (3 operations) and invalid (the 2 with inputs)",
    EXAMPLES * 5,
)
@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_relayer_answers_as_its_openapi_says(relayer, mode) -> None:
    operations = _operations(relayer)
    assert {f"{o.method.upper()} {o.path}" for o in operations} >= {
        "POST /ballots", "GET /ballots/{nullifier}", "GET /health"
    }  # fmt: skip
    for operation in operations:
        if mode is schemathesis.GenerationMode.NEGATIVE and not _has_inputs(operation):
            continue  # GET /health takes nothing: no request is invalid by its schema

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def answers_as_declared(case: Any) -> None:
            case.call_and_validate(base_url=relayer.url, checks=CHECKS, timeout=30)

        answers_as_declared()


def test_schemathesis_left_no_traceback_in_the_log(relayer) -> None:
    log = relayer.log.read_text()
    assert "Traceback" not in log and "internal error" not in log, log[-2000:]
