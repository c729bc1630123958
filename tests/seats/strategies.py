"""Hypothesis strategies for seat allocation inputs.

Vote counts are drawn from a narrow range half of the time, so that equal quotients and equal
remainders (the cases the tie-break rule exists for) come up often, not once in a million runs.
"""

from fractions import Fraction

from hypothesis import strategies as st

from veche.seats import Method, TieBreak

PARTY_NAMES = ["A", "B", "C", "D", "E", "F", "G", "H"]

methods = st.sampled_from(list(Method))
tie_breaks = st.sampled_from(list(TieBreak))
seat_counts = st.integers(min_value=1, max_value=40)

vote_counts = st.one_of(
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=2_000_000),
)


@st.composite
def votes(draw: st.DrawFn, min_parties: int = 1) -> dict[str, int]:
    """`{party: votes}` with at least one vote in total, in a random ballot order."""
    count = draw(st.integers(min_value=min_parties, max_value=len(PARTY_NAMES)))
    names = draw(st.permutations(PARTY_NAMES))[:count]
    result = {name: draw(vote_counts) for name in names}
    if sum(result.values()) == 0:
        result[names[0]] = draw(st.integers(min_value=1, max_value=1000))
    return result


thresholds = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=40).map(Fraction),
    st.integers(min_value=0, max_value=400).map(lambda tenths: Fraction(tenths, 10)),
)
