"""Moving a definition's calendar for a demo keeps everything else, and refuses bad input."""

import pytest

from veche.chain.paths import REPO_ROOT
from veche.definition import parse_text
from veche.definition.canonical import canonical_object
from veche.definition.retime import RetimeError, retime, starting_at

DEMO = (REPO_ROOT / "examples" / "demo.toml").read_text()


def test_retimed_definition_starts_now_and_keeps_every_other_rule() -> None:
    moved, problems = parse_text(starting_at(DEMO, 1_800_000_000))
    original, _ = parse_text(DEMO)
    assert not problems and moved is not None and original is not None
    assert moved.calendar.registration_start == 1_800_000_000
    assert moved.calendar.appeals_end == 1_800_000_000 + 3 * 3600
    before, after = canonical_object(original), canonical_object(moved)
    assert {k: v for k, v in before.items() if k != "calendar"} == {
        k: v for k, v in after.items() if k != "calendar"
    }


def test_unknown_calendar_key_is_refused() -> None:
    with pytest.raises(RetimeError, match="polling_day is not a calendar key"):
        retime(DEMO, {"polling_day": 1})


def test_text_without_the_key_is_refused() -> None:
    with pytest.raises(RetimeError, match="0 lines for voting_end"):
        retime("title = 'x'\n", {"voting_end": 1})
