"""The Python protocol core follows the shared rule vectors (`tests/vectors/rules.json`), which
the JavaScript core is checked against too (`tests/js/protocol.test.mjs`)."""

import json
from pathlib import Path
from typing import Any

import pytest

from veche.definition.calendar import ElectionCalendar
from veche.model.calendar import Calendar
from veche.protocol import (
    Phase,
    apply_replacements,
    next_revision,
    registers_from_members,
    revision_rejection,
)

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "rules.json").read_text()
)


@pytest.mark.parametrize("case", VECTORS["revision"], ids=str)
def test_revision_follows_only_the_stored_one_plus_one(case: dict[str, Any]) -> None:
    rejection = revision_rejection(case["revision"], case["stored"])
    assert (None if rejection is None else str(rejection)) == case["rejection"]


@pytest.mark.parametrize("case", VECTORS["nextRevision"], ids=str)
def test_next_revision_follows_both_the_chain_and_a_pending_ballot(case: dict[str, Any]) -> None:
    assert next_revision(case["stored"], case["pending"]) == case["next"]


@pytest.mark.parametrize("case", VECTORS["phases"]["cases"], ids=lambda c: str(c["now"]))
def test_phase_at_each_moment(case: dict[str, Any]) -> None:
    times = VECTORS["phases"]["calendar"]
    assert ElectionCalendar(**times).phase(case["now"]) == Phase(case["withResult"])
    on_chain = Calendar(*(times[key] for key in list(times)[:5]))
    assert on_chain.phase(case["now"]) == Phase(case["contract"])


@pytest.mark.parametrize("case", VECTORS["registers"], ids=lambda c: c["name"])
def test_register_leaves_are_placed_by_their_index(case: dict[str, Any]) -> None:
    events = [(d, i, int(c)) for d, i, c in case["events"]]
    leaves, gaps = registers_from_members(events, case["districtCount"])
    assert [[str(leaf) for leaf in district] for district in leaves] == case["leaves"]
    assert [[gap.district, gap.index] for gap in gaps] == case["gaps"]


@pytest.mark.parametrize("case", VECTORS["replacements"], ids=lambda c: c["name"])
def test_replacements_put_the_new_commitment_in_the_leaf_in_chain_order(
    case: dict[str, Any],
) -> None:
    events = [(d, i, int(c)) for d, i, c in case["events"]]
    leaves, gaps = registers_from_members(events, case["districtCount"])
    gaps += apply_replacements(
        leaves, [(d, i, int(old), int(new)) for d, i, old, new in case["replacements"]]
    )
    assert [[str(leaf) for leaf in district] for district in leaves] == case["leaves"]
    assert [[gap.district, gap.index] for gap in gaps] == case["gaps"]


def test_a_member_of_an_unknown_district_is_a_gap() -> None:
    _, gaps = registers_from_members([(3, 0, 11)], 2)
    assert [(gap.district, gap.index) for gap in gaps] == [(3, 0)]
    assert "unknown district" in str(gaps[0])
