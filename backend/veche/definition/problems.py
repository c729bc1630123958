"""A problem found in a definition file, located by its TOML key path and, if found, its line."""

from dataclasses import dataclass

from veche.errors import VecheError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition file.

    `path` is the TOML key path (`districts[2].seats`; array indices count from 0, in file
    order; empty for the file as a whole). `line` is the line of that key, or of the nearest
    enclosing table found in the source, or None.
    """

    path: str
    message: str
    line: int | None = None

    def render(self, file: str) -> str:
        """`FILE:LINE: key.path: message`, the form editors and CI logs can jump to."""
        where = f"{file}:{self.line}" if self.line is not None else file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DefinitionError(VecheError):
    """A definition file has problems; `problems` lists every one of them."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        first = problems[0].render(file)
        more = f" (and {len(problems) - 1} more; run 'veche definition check')" * (
            len(problems) > 1
        )
        super().__init__(f"{first}{more}")
