"""The canonical form and its hash: stable across formatting, changed by any rule.

The hash is stored on chain at deploy; if two honest readers of one file could get different
hashes, or a changed rule could keep the old hash, a recount could not tell which rules it
counts under.
"""

import unicodedata

import pytest
from eth_utils import keccak

from tests.definition.texts import VALID, edit
from veche.definition import ElectionDefinition, canonical_json, definition_hash, parse_text

MINIMAL = """\
title = "Тест"
method = "sainte-lague"
threshold_percent = 3.5
tie_break = "ballot-order"

[calendar]
registration_start = 1970-01-01T00:00:01Z
registration_end = 1970-01-01T00:00:02Z
voting_start = 1970-01-01T00:00:02Z
voting_end = 1970-01-01T00:00:03Z
appeals_end = 1970-01-01T00:00:04Z
result = 1970-01-01T01:00:04+01:00

[[districts]]
id = "d1"
name = "Один"
seats = 1
min_registered = 2

  [[districts.lists]]
  name = "L"
  candidates = ["Ёж"]
"""

MINIMAL_CANONICAL = (
    '{"calendar":{"appeals_end":4,"registration_end":2,"registration_start":1,"result":4,'
    '"voting_end":3,"voting_start":2},"districts":[{"id":"d1","lists":[{"candidates":["Ёж"],'
    '"name":"L"}],"min_registered":2,"name":"Один","seats":1}],"format":"veche-definition/1",'
    '"method":"sainte-lague","national":null,"threshold_percent":"3.5",'
    '"tie_break":"ballot-order","title":"Тест"}'
)
MINIMAL_HASH = "f393b9fbdb13ae4b5f537ee337fe2d5c7b1bf9a27d1dfdff641f79e1c2a6b106"


def parsed(text: str) -> ElectionDefinition:
    definition, problems = parse_text(text)
    assert problems == [], problems
    assert definition is not None
    return definition


def test_canonical_json_known_answer() -> None:
    assert canonical_json(parsed(MINIMAL)) == MINIMAL_CANONICAL.encode("utf-8")


def test_definition_hash_known_answer() -> None:
    digest = definition_hash(parsed(MINIMAL))
    assert len(digest) == 32
    assert digest == keccak(MINIMAL_CANONICAL.encode("utf-8"))
    assert digest.hex() == MINIMAL_HASH


def test_names_typed_decomposed_hash_the_same_as_composed() -> None:
    decomposed = MINIMAL.replace("Ёж", unicodedata.normalize("NFD", "Ёж"))
    assert decomposed != MINIMAL
    assert definition_hash(parsed(decomposed)) == definition_hash(parsed(MINIMAL))


SAME_RULES = [
    ("comments", 'method = "dhondt"', 'method = "dhondt"   # D\'Hondt, as in Spain'),
    ("spacing", "seats = 2", "seats     =     2"),
    ("quoting", 'name = "North"', "name = 'North'"),
    ("time offset", "voting_end = 2027-04-05T00:00:00Z", "voting_end = 2027-04-05T03:00:00+03:00"),
    ("time as string", "result = 2027-04-13T00:00:00Z", 'result = "2027-04-13T00:00:00Z"'),
    ("threshold as float", "threshold_percent = 5", "threshold_percent = 5.0"),
    ("key order", 'id = "north"\nname = "North"', 'name = "North"\nid = "north"'),
]


@pytest.mark.parametrize(("what", "old", "new"), SAME_RULES, ids=[c[0] for c in SAME_RULES])
def test_formatting_does_not_change_the_hash(what: str, old: str, new: str) -> None:
    assert definition_hash(parsed(edit(VALID, old, new))) == definition_hash(parsed(VALID))


OTHER_RULES = [
    ("title", 'title = "Test election"', 'title = "Test election 2"'),
    ("method", 'method = "dhondt"', 'method = "sainte-lague"'),
    ("threshold", "threshold_percent = 5", "threshold_percent = 5.5"),
    ("no threshold", "threshold_percent = 5\n", ""),
    ("tie-break", '"more-votes-then-ballot-order"', '"ballot-order"'),
    (
        "a time, by one second",
        "voting_end = 2027-04-05T00:00:00Z",
        "voting_end = 2027-04-05T00:00:01Z",
    ),
    ("district id", 'id = "north"', 'id = "nord"'),
    ("district name", 'name = "North"', 'name = "Norte"'),
    ("seats", "seats = 2", "seats = 3"),
    ("min registered", "min_registered = 10", "min_registered = 11"),
    ("list name", 'name = "Beta"', 'name = "Gamma"'),
    ("candidate order", '["Anna A", "Boris B"]', '["Boris B", "Anna A"]'),
    (
        "ballot order",
        '  [[districts.lists]]\n  name = "Alpha"\n  candidates = ["Anna A", "Boris B"]\n\n'
        '  [[districts.lists]]\n  name = "Beta"\n  candidates = ["Vera V"]',
        '  [[districts.lists]]\n  name = "Beta"\n  candidates = ["Vera V"]\n\n'
        '  [[districts.lists]]\n  name = "Alpha"\n  candidates = ["Anna A", "Boris B"]',
    ),
    (
        "national seats",
        'seats = 1\n\n  [[national.lists]]\n  name = "Alpha"\n  candidates = ["Daria D"]',
        'seats = 2\n\n  [[national.lists]]\n  name = "Alpha"\n  candidates = ["Daria D", "E E"]',
    ),
    ("no national list", VALID[VALID.index("[national]") :], ""),
]


@pytest.mark.parametrize(("what", "old", "new"), OTHER_RULES, ids=[c[0] for c in OTHER_RULES])
def test_any_rule_change_changes_the_hash(what: str, old: str, new: str) -> None:
    changed = edit(VALID, old, new)
    assert changed != VALID
    assert definition_hash(parsed(changed)) != definition_hash(parsed(VALID))


def test_recovery_approvals_are_in_the_hash_only_when_set() -> None:
    """Without the key every existing definition keeps its hash; 2 written out is another
    definition (the same rule, written), 3 another one again; deploy and recount use it."""
    base = parsed(VALID)
    assert base.recovery_approvals is None and base.effective_recovery_approvals == 2
    two = parsed(
        edit(VALID, 'title = "Test election"', 'recovery_approvals = 2\ntitle = "Test election"')
    )
    three = parsed(
        edit(VALID, 'title = "Test election"', 'recovery_approvals = 3\ntitle = "Test election"')
    )
    assert (two.effective_recovery_approvals, three.effective_recovery_approvals) == (2, 3)
    assert b'"recovery_approvals":3' in canonical_json(three)
    assert b"recovery_approvals" not in canonical_json(base)
    assert len({definition_hash(base), definition_hash(two), definition_hash(three)}) == 3
