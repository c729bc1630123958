"""The 2% report: registrations replayed against quotas and suspensions in chain order, every
distortion totalled against 2% of turnout, a margin per district, and what it cannot see."""

import json
from pathlib import Path

import pytest

from veche.recount.audit import BadReports, Reports, build_audit, replay_registrations
from veche.recount.report import render_audit
from veche.recount.scan import Member, RegistrarChange

from .test_result import TEXT, _record, parse_text

A = "0x" + "aa" * 20
B = "0x" + "bb" * 20


def _change(
    block: int, kind: str, registrar: str, district: int = -1, quota: int = 0
) -> RegistrarChange:
    return RegistrarChange(block, 0, kind, registrar, district, quota)


def _member(block: int, registrar: str, district: int) -> Member:
    return Member(block, 0, "0x", district, 0, 1, "0x" + "00" * 32, 0, registrar)


def test_registrations_are_replayed_against_quota_and_suspension_in_chain_order() -> None:
    changes = [
        _change(1, "authorized", A, 0, 2),
        _change(1, "authorized", B, 1, 5),
        _change(4, "suspended", A),
        _change(6, "reinstated", A),
        _change(8, "suspended", B),
    ]
    members = [
        _member(2, A, 0),
        _member(3, A, 0),
        _member(5, A, 0),  # third in district 0 (quota 2), and while A is suspended
        _member(7, A, 0),  # fourth: above quota again, A reinstated by now
        _member(2, B, 1),
        _member(3, B, 1),
        _member(9, B, 2),  # B has no quota in district 2 at all
    ]
    replayed = replay_registrations(changes, members)
    assert dict(replayed.above_quota) == {0: 2, 2: 1}
    assert dict(replayed.while_suspended) == {0: 1, 2: 1}
    # B is suspended at the end: all three of its registrations are doubtful.
    assert dict(replayed.by_suspended) == {1: 2, 2: 1}
    assert replayed.suspended == (B,)


def _definition():
    definition, problems = parse_text(TEXT)
    assert definition is not None, problems
    return definition


def test_total_is_weighed_against_two_percent_of_turnout() -> None:
    record = _record()  # 6 counted, 5 excluded (East), 1 rejected: turnout 11
    clean = replay_registrations([], [])
    audit = build_audit(_definition(), record, clean, Reports())
    assert audit["items"]["excludedBallots"] == 5
    assert audit["items"]["invalidRecords"] == 1
    assert audit["items"]["replacedCommitments"] == 0
    # 22 registered: 15 per million is 0.00033 people wrongly refused as duplicates, so 0.
    assert audit["items"]["dedupCollisionEstimate"] == 0
    assert (audit["total"], audit["turnout"], audit["withinLimit"]) == (6, 11, False)
    assert "fictitious-people-within-quota" in audit["unseen"]


def test_reported_refusals_count_and_the_limit_is_exact() -> None:
    record = _record(exclusions=())  # 11 counted, nothing excluded; 1 rejected
    reports = Reports({"relayer-a": {"rate_limited": 2}}, {"desk-1": 3}, given=True)
    audit = build_audit(_definition(), record, replay_registrations([], []), reports)
    assert audit["items"]["relayerRefusalsAsReported"] == 2
    assert audit["items"]["duplicatesRefusedAsReported"] == 3
    # The 3 reported duplicates replace the estimate (both count the same people).
    assert audit["total"] == 1 + 2 + 3
    # 2% of 11 ballots is 0.22: 6 is above it.
    assert audit["withinLimit"] is False
    assert audit["relayerRefusals"] == {"relayer-a": {"rate_limited": 2}}


def test_each_counted_district_has_its_margin() -> None:
    record = _record()
    audit = build_audit(_definition(), record, replay_registrations([], []), Reports())
    north, south, east, west = audit["districts"]
    assert west["margin"] is None  # below its minimum: no votes
    # North 3/3/0 on D'Hondt, 3 seats: its third seat is a tie, one ballot decides it.
    assert north["margin"] == {"ballots": 1, "from": "Alpha 'A'", "to": "Beta"}
    assert north["distortionsBelowMargin"] is True
    assert south["margin"] is None  # no votes, one list
    assert east["margin"] is None and east["excludedBallots"] == 5  # excluded
    assert audit["nationalMargin"] is None  # one national list


def test_district_distortions_at_or_above_the_margin_are_flagged() -> None:
    record = _record()
    members = [_member(2, A, 0)]  # no quota anywhere: one registration above quota in North
    audit = build_audit(_definition(), record, replay_registrations([], members), Reports())
    assert audit["districts"][0]["registrationsAboveQuota"] == 1
    assert audit["districts"][0]["distortionsBelowMargin"] is False
    text = "\n".join(render_audit(audit))
    assert (
        "north: 1 (from Alpha 'A' to Beta); the district's registration distortions are NOT" in text
    )
    assert "a registrar registering people who do not exist, within its quota" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ('{"relayers": [1]}', "relayers must be an object of names"),
        ('{"relayers": {"a": {"x": -1}}}', "relayers.a.x must be a whole number >= 0, got -1"),
        ('{"registrars": {"d": {"other": 1}}}', 'only "duplicate_person" is counted'),
        ('{"votes": {}}', 'expected an object with "relayers"'),
    ],
)
def test_malformed_reports_are_refused_with_the_place(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "reports.json"
    path.write_text(content)
    with pytest.raises(BadReports, match=message):
        Reports.load(path)


def test_reports_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_text(
        json.dumps(
            {"relayers": {"r": {"voting_closed": 4}}, "registrars": {"d": {"duplicate_person": 2}}}
        )
    )
    reports = Reports.load(path)
    assert (reports.relayer_refusals, reports.registrar_duplicates, reports.given) == (
        {"r": {"voting_closed": 4}},
        {"d": 2},
        True,
    )


def test_the_collision_estimate_is_15_per_million_registered() -> None:
    record = {**_record(), "registered": 1_000_000}
    audit = build_audit(_definition(), record, replay_registrations([], []), Reports())
    assert audit["items"]["dedupCollisionEstimate"] == 15
    assert audit["total"] == 15 + 5 + 1  # estimate, East's excluded ballots, one invalid record
