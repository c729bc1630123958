"""Votes per option."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    """Votes per option index; `votes[i]` counts the ballots whose current choice is `i`."""

    votes: tuple[int, ...]

    @classmethod
    def count(cls, option_count: int, choices: Iterable[int]) -> "Tally":
        votes = [0] * option_count
        for choice in choices:
            votes[choice] += 1
        return cls(tuple(votes))

    @property
    def total(self) -> int:
        return sum(self.votes)

    def winners(self) -> list[int]:
        """Indices of the options with the most votes (several on a tie, none if no votes)."""
        if self.total == 0:
            return []
        top = max(self.votes)
        return [i for i, v in enumerate(self.votes) if v == top]
