"""Definition texts for the tests: one valid file, and a way to break it in one place."""

VALID = """\
title = "Test election"
method = "dhondt"
threshold_percent = 5
tie_break = "more-votes-then-ballot-order"

[calendar]
registration_start = 2027-03-01T00:00:00Z
registration_end = 2027-04-01T00:00:00Z
voting_start = 2027-04-02T00:00:00Z
voting_end = 2027-04-05T00:00:00Z
appeals_end = 2027-04-12T00:00:00Z
result = 2027-04-13T00:00:00Z

[[districts]]
id = "north"
name = "North"
seats = 2
min_registered = 10

  [[districts.lists]]
  name = "Alpha"
  candidates = ["Anna A", "Boris B"]

  [[districts.lists]]
  name = "Beta"
  candidates = ["Vera V"]

[[districts]]
id = "south"
name = "South"
seats = 1
min_registered = 10

  [[districts.lists]]
  name = "Alpha"
  candidates = ["Gleb G"]

[national]
seats = 1

  [[national.lists]]
  name = "Alpha"
  candidates = ["Daria D"]
"""


def edit(text: str, old: str, new: str, occurrence: int = 1) -> str:
    """`text` with the `occurrence`-th `old` replaced by `new` (which must exist)."""
    start = -1
    for _ in range(occurrence):
        start = text.index(old, start + 1)
    return text[:start] + new + text[start + len(old) :]


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The line number (from 1) of the `occurrence`-th line containing `fragment`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]
