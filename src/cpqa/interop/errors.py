"""Errors a census file or an export can raise, each naming where the problem is.

The message carries the file, the line, the child's LAchildID and the element, because a
council's data team fixes the file in its case-management system and needs to find the spot.
It never carries names or free text from the record (a CIN file has none), only the short
coded or dated value that was wrong.
"""

from __future__ import annotations

import os


def quote_value(value: str, limit: int = 40) -> str:
    """A bad value as shown in a message: quoted, and cut short so a stray blob cannot flood it."""
    shown = value if len(value) <= limit else value[:limit] + "..."
    return repr(shown)


class CinFileError(ValueError):
    """A CIN census file cpqa refuses to read; nothing is loaded from it."""

    def __init__(
        self,
        problem: str,
        *,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        child_id: str | None = None,
        element: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.child_id = child_id
        self.element = element
        where = []
        if self.path is not None:
            where.append(os.path.basename(self.path))
        if line is not None:
            where.append(f"line {line}")
        if child_id is not None:
            where.append(f"child {child_id}")
        if element is not None:
            where.append(f"element {element}")
        super().__init__(", ".join(where) + ": " + problem if where else problem)


class CinFileProblems(CinFileError):
    """Several problems in one or more files, all named at once; nothing is loaded."""

    def __init__(self, problems: list[CinFileError]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found, so nothing was read"
        ValueError.__init__(self, head + ":\n" + "\n".join(str(p) for p in self.problems))
        # Where the first problem is, for a caller that shows one place.
        first = self.problems[0] if self.problems else None
        self.problem = first.problem if first else head
        self.path = first.path if first else None
        self.line = first.line if first else None
        self.child_id = first.child_id if first else None
        self.element = first.element if first else None


class CinExportError(ValueError):
    """The record cannot be written as a census file; nothing is written."""
