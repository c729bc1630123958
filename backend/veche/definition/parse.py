"""Reads an election definition (TOML) into `ElectionDefinition`, reporting every problem.

The file layout (see `examples/diaspora-2027.toml`):

    title, method, threshold_percent (optional), tie_break
    [calendar]            registration_start ... result, date-times with a timezone
    [[districts]]         id, name, seats, min_registered
    [[districts.lists]]   name, candidates          (in ballot order)
    [national]            seats                     (optional)
    [[national.lists]]    name, candidates
    verification_key_sha256                         (optional: the ceremony's key, pinned)
    ballot_mode           "verified" (default) | "recorded"  (see docs/PROTOCOL.md)
    recovery_approvals    registrars per replacement of a lost key: 0 or at least 2 (default 2)
    ballot_secrecy        "plain" (default) | "encrypted"   (see docs/PROTOCOL.md)
    election_key          the election key file (required iff encrypted; path relative to the
                          definition's folder; its sha256 is pinned in the canonical definition)

A national list draws the votes of the district lists with the same name.
"""

import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

from veche.definition.calendar import CALENDAR_KEYS, STRICTLY_BEFORE, ElectionCalendar, iso
from veche.definition.fields import Reader, join
from veche.definition.locate import KeyLines
from veche.definition.model import District, ElectionDefinition, NationalList, PartyList
from veche.definition.problems import DefinitionError, Problem
from veche.protocol.records import BallotMode, BallotSecrecy
from veche.protocol.spec import ENCRYPTED_OPTIONS
from veche.seats import Method, TieBreak

TOP_KEYS = (
    "title",
    "method",
    "threshold_percent",
    "tie_break",
    "calendar",
    "districts",
    "national",
    "verification_key_sha256",
    "ballot_mode",
    "recovery_approvals",
    "ballot_secrecy",
    "election_key",
)
DISTRICT_KEYS = ("id", "name", "seats", "min_registered", "lists")
LIST_KEYS = ("name", "candidates")
NATIONAL_KEYS = ("seats", "lists")
DISTRICT_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DISTRICT_ID_MAX = 32
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TOML_POSITION = re.compile(r"^(?P<message>.*?) \(at line (?P<line>\d+), column \d+\)$")


def parse_text(
    text: str, folder: Path | None = None
) -> tuple[ElectionDefinition | None, list[Problem]]:
    """The definition in `text` and no problems, or None and every problem found. A relative
    `election_key` path is read from `folder` (the definition file's; default: the current
    one)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.match(str(exc))
        line = int(match["line"]) if match else None
        message = match["message"] if match else str(exc)
        return None, [Problem("", f"not valid TOML: {message}", line)]
    reader = Reader()
    definition = _definition(reader, document, folder or Path("."))
    lines = KeyLines.scan(text)
    problems = [Problem(path, message, lines.line_of(path)) for path, message in reader.problems]
    problems.sort(key=lambda p: p.line if p.line is not None else 0)
    return (definition if not problems else None), problems


def check(path: str | Path) -> list[Problem]:
    """Every problem of the definition file at `path` (empty when it is valid)."""
    return _read(Path(path))[1]


def load(path: str | Path) -> ElectionDefinition:
    """The definition at `path`, or `DefinitionError` listing every problem."""
    definition, problems = _read(Path(path))
    if definition is None:
        raise DefinitionError(str(path), problems)
    return definition


def _read(path: Path) -> tuple[ElectionDefinition | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        return None, [Problem("", f"cannot read the file: {reason}")]
    return parse_text(text, path.parent)


def _definition(
    reader: Reader, document: Mapping[str, Any], folder: Path
) -> ElectionDefinition | None:
    top = reader.table(document, "", TOP_KEYS)
    if top is None:
        return None
    title = reader.string(top, "title", "")
    method = reader.choice(top, "method", "", Method)
    threshold = reader.percentage(top, "threshold_percent", "")
    tie_break = reader.choice(top, "tie_break", "", TieBreak)
    calendar = _calendar(reader, top)
    districts = _districts(reader, top)
    national = _national(reader, top)
    key_hash = _verification_key_hash(reader, top)
    ballot_mode = (
        reader.choice(top, "ballot_mode", "", BallotMode)
        if "ballot_mode" in top
        else BallotMode.VERIFIED
    )
    recovery = _recovery_approvals(reader, top)
    secrecy, election_key = _secrecy(reader, top, folder)
    if districts is not None and secrecy is BallotSecrecy.ENCRYPTED:
        _encrypted_options(reader, districts)
    if (
        reader.problems
        or title is None
        or method is None
        or tie_break is None
        or calendar is None
        or districts is None
        or ballot_mode is None
        or secrecy is None
    ):
        return None
    return ElectionDefinition(
        title,
        method,
        threshold,
        tie_break,
        calendar,
        districts,
        national,
        key_hash,
        ballot_mode,
        recovery,
        secrecy,
        *(election_key or (None, None)),
    )


def _secrecy(
    reader: Reader, top: Mapping[str, Any], folder: Path
) -> tuple[BallotSecrecy | None, tuple[Path, str] | None]:
    """The ballot secrecy and, when encrypted, the election key file with its sha256."""
    secrecy = (
        reader.choice(top, "ballot_secrecy", "", BallotSecrecy)
        if "ballot_secrecy" in top
        else BallotSecrecy.PLAIN
    )
    if secrecy is not BallotSecrecy.ENCRYPTED:
        if "election_key" in top:
            reader.problem(
                "election_key",
                'only an election with ballot_secrecy = "encrypted" has an election key '
                "(plain ballots carry their choice)",
            )
        return secrecy, None
    if "election_key" not in top:
        reader.problem(
            "ballot_secrecy",
            '"encrypted" needs election_key = "<file>", the election key file the trustees '
            "published",
        )
        return secrecy, None
    written = reader.string(top, "election_key", "")
    if written is None:
        return secrecy, None
    # Imported here: the trustees' package reads the spec and the group, which the definition
    # does not otherwise need.
    from veche.trustees.errors import ElectionKeyError
    from veche.trustees.key import ElectionKey

    path = folder / written
    try:
        content = path.read_bytes()
        ElectionKey.from_json(json.loads(content))
    except OSError as exc:
        reader.problem("election_key", f"cannot read {written}: {exc.strerror}")
        return secrecy, None
    except ValueError:
        reader.problem("election_key", f"{written} is not JSON: not an election key file")
        return secrecy, None
    except ElectionKeyError as error:
        reader.problem("election_key", f"{written}: {error}")
        return secrecy, None
    return secrecy, (path.resolve(), hashlib.sha256(content).hexdigest())


def _encrypted_options(reader: Reader, districts: tuple[District, ...]) -> None:
    """An encrypted ballot holds `ENCRYPTED_OPTIONS` options: no district may offer more."""
    for index, district in enumerate(districts):
        if len(district.lists) > ENCRYPTED_OPTIONS:
            reader.problem(
                join(join("districts", index), "lists"),
                f"{len(district.lists)} lists, but an encrypted ballot holds at most "
                f"{ENCRYPTED_OPTIONS} options (split the district, or use plain ballots)",
            )


def _recovery_approvals(reader: Reader, top: Mapping[str, Any]) -> int | None:
    """The registrars a replacement of a lost key needs (None: the protocol's default)."""
    if "recovery_approvals" not in top:
        return None
    value = reader.integer(top, "recovery_approvals", "", 0)
    if value == 1:
        reader.problem(
            "recovery_approvals",
            "must be 0 (no recovery) or at least 2: one registrar alone could take over "
            "anyone's registration",
        )
        return None
    return value


def _verification_key_hash(reader: Reader, top: Mapping[str, Any]) -> str | None:
    """The sha256 of the ceremony's `verification_key.json` (printed by `veche ceremony
    export`), or None: then only the development key is known, and production refuses it."""
    if "verification_key_sha256" not in top:
        return None
    value = reader.string(top, "verification_key_sha256", "")
    if value is not None and not _SHA256.match(value):
        reader.problem(
            "verification_key_sha256",
            f"must be 64 lower-case hex digits (the sha256 `veche ceremony export` prints), "
            f"got {value!r}",
        )
        return None
    return value


def _calendar(reader: Reader, top: Mapping[str, Any]) -> ElectionCalendar | None:
    if "calendar" not in top:
        reader.problem("calendar", "required table is missing")
        return None
    table = reader.table(top["calendar"], "calendar", CALENDAR_KEYS)
    if table is None:
        return None
    times = {key: reader.moment(table, key, "calendar") for key in CALENDAR_KEYS}
    ordered = True
    for earlier, later in pairwise(CALENDAR_KEYS):
        first, second = times[earlier], times[later]
        if first is None or second is None:
            continue
        strict = (earlier, later) in STRICTLY_BEFORE
        if second < first or (strict and second == first):
            relation = "after" if strict else "at or after"
            reader.problem(
                f"calendar.{later}",
                f"must be {relation} {earlier} ({iso(first)}), got {iso(second)}",
            )
            ordered = False
    if not ordered or any(value is None for value in times.values()):
        return None
    return ElectionCalendar(**{key: value for key, value in times.items() if value is not None})


def _lists(reader: Reader, table: Mapping[str, Any], path: str) -> tuple[PartyList, ...] | None:
    elements = reader.tables(table, "lists", path, required=True)
    if elements is None:
        return None
    result: list[PartyList] = []
    seen: dict[str, int] = {}
    for index, element in enumerate(elements):
        where = join(join(path, "lists"), index)
        entry = reader.table(element, where, LIST_KEYS)
        if entry is None:
            continue
        name = reader.string(entry, "name", where)
        candidates = reader.strings(entry, "candidates", where)
        if name is not None and name in seen:
            reader.problem(
                join(where, "name"),
                f"list {name!r} appears twice (also {join(join(path, 'lists'), seen[name])})",
            )
        elif name is not None:
            seen[name] = index
        if name is not None and candidates is not None:
            result.append(PartyList(name, tuple(candidates)))
    return tuple(result) if len(result) == len(elements) else None


def _districts(reader: Reader, top: Mapping[str, Any]) -> tuple[District, ...] | None:
    elements = reader.tables(top, "districts", "", required=True)
    if elements is None:
        return None
    result: list[District] = []
    seen: dict[str, int] = {}
    for index, element in enumerate(elements):
        where = join("districts", index)
        table = reader.table(element, where, DISTRICT_KEYS)
        if table is None:
            continue
        district_id = _district_id(reader, table, where, seen, index)
        name = reader.string(table, "name", where)
        seats = reader.integer(table, "seats", where, minimum=1)
        min_registered = reader.integer(table, "min_registered", where, minimum=1)
        lists = _lists(reader, table, where)
        if lists is not None and seats is not None:
            _enough_candidates(reader, lists, seats, join(where, "seats"))
        if (
            district_id is not None
            and name is not None
            and seats is not None
            and min_registered is not None
            and lists is not None
        ):
            result.append(District(district_id, name, seats, min_registered, lists))
    return tuple(result) if len(result) == len(elements) else None


def _district_id(
    reader: Reader, table: Mapping[str, Any], where: str, seen: dict[str, int], index: int
) -> str | None:
    district_id = reader.string(table, "id", where)
    if district_id is None:
        return None
    if not DISTRICT_ID.match(district_id) or len(district_id) > DISTRICT_ID_MAX:
        reader.problem(
            join(where, "id"),
            f"must be lowercase letters, digits and single hyphens, at most {DISTRICT_ID_MAX} "
            f"characters (like 'europe-west'), got {district_id!r}",
        )
        return None
    if district_id in seen:
        reader.problem(
            join(where, "id"),
            f"district {district_id!r} appears twice (also districts[{seen[district_id]}])",
        )
        return None
    seen[district_id] = index
    return district_id


def _enough_candidates(
    reader: Reader, lists: tuple[PartyList, ...], seats: int, where: str
) -> None:
    """Seats that no candidate could take would stay empty whatever the votes."""
    candidates = sum(len(party.candidates) for party in lists)
    if candidates < seats:
        named = f"{candidates} candidate" + "s" * (candidates != 1)
        reader.problem(where, f"{seats} seats, but the lists name only {named}")


def _national(reader: Reader, top: Mapping[str, Any]) -> NationalList | None:
    if "national" not in top:
        return None
    table = reader.table(top["national"], "national", NATIONAL_KEYS)
    if table is None:
        return None
    seats = reader.integer(table, "seats", "national", minimum=1)
    lists = _lists(reader, table, "national")
    if lists is None or seats is None:
        return None
    _enough_candidates(reader, lists, seats, "national.seats")
    standing = _district_list_names(top)
    for index, party in enumerate(lists):
        if party.name not in standing:
            reader.problem(
                f"national.lists[{index}].name",
                f"list {party.name!r} stands in no district, so it can receive no votes",
            )
    return NationalList(seats, lists)


def _district_list_names(top: Mapping[str, Any]) -> set[str]:
    """The list names written in any district, read leniently so that a problem elsewhere in a
    district does not hide a national list that matches nothing."""
    names: set[str] = set()
    districts = top.get("districts")
    for district in districts if isinstance(districts, list) else []:
        lists = district.get("lists") if isinstance(district, dict) else None
        for party in lists if isinstance(lists, list) else []:
            name = party.get("name") if isinstance(party, dict) else None
            if isinstance(name, str):
                names.add(unicodedata.normalize("NFC", name))
    return names
