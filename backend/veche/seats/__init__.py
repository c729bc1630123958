"""Proportional seat allocation: D'Hondt, Sainte-Laguë, and largest remainder (Hare, Droop).

Exact arithmetic only, one documented tie-break rule, and a note for every seat a tie decided,
so that anyone who recounts reaches the same parliament and can see where luck of the rules
(not votes) made the difference.
"""

from veche.seats.allocate import allocate
from veche.seats.errors import (
    AllBelowThreshold,
    BallotOrderMismatch,
    InvalidSeatCount,
    InvalidThreshold,
    InvalidVoteCount,
    NegativeVotes,
    NoVotes,
    SeatError,
    UnknownMethod,
    UnknownTieBreak,
)
from veche.seats.largest_remainder import quota
from veche.seats.methods import Method, TieBreak
from veche.seats.result import Allocation, TieNote

__all__ = [
    "AllBelowThreshold",
    "Allocation",
    "BallotOrderMismatch",
    "InvalidSeatCount",
    "InvalidThreshold",
    "InvalidVoteCount",
    "Method",
    "NegativeVotes",
    "NoVotes",
    "SeatError",
    "TieBreak",
    "TieNote",
    "UnknownMethod",
    "UnknownTieBreak",
    "allocate",
    "quota",
]
