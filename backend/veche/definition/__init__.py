"""The election definition: one human-written TOML file fixing districts, seats, lists, the
seat method, threshold, tie-break rule and calendar before the election.

`check` reports every problem with its place in the file; `load` returns typed, frozen values;
`definition_hash` is the keccak256 of the canonical JSON form, stored on chain at deploy so
that every recount counts under the same rules.
"""

from veche.definition.calendar import CALENDAR_KEYS, ElectionCalendar, Phase, iso
from veche.definition.canonical import canonical_json, definition_hash
from veche.definition.model import District, ElectionDefinition, NationalList, PartyList
from veche.definition.parse import check, load, parse_text
from veche.definition.problems import DefinitionError, Problem

__all__ = [
    "CALENDAR_KEYS",
    "DefinitionError",
    "District",
    "ElectionCalendar",
    "ElectionDefinition",
    "NationalList",
    "PartyList",
    "Phase",
    "Problem",
    "canonical_json",
    "check",
    "definition_hash",
    "iso",
    "load",
    "parse_text",
]
