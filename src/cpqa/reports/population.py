"""The authority's child population (aged 0-17), total and by ethnicity, from a CSV file.

The file has `ethnicity,children` rows: a DfE ethnicity code (or the letter-digit code a
case-management system exports, e.g. `A1`), then a whole number. A `TOTAL` row gives the whole
population; without one it is the sum of the rows. An optional first line `ethnicity,children`
is a header. It feeds the rate per 10,000 and the population column of the ethnicity table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cpqa.domain import codes

TOTAL = "TOTAL"
HEADER = ("ethnicity", "children")


class PopulationError(ValueError):
    """The population file cannot be used: the message names the file, the line and the value."""


@dataclass(frozen=True)
class Population:
    """Children aged 0-17: `total`, and `by_ethnicity` keyed by DfE code (may be empty)."""

    total: int
    by_ethnicity: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: str | Path) -> Population:
        path = Path(path)
        return cls.parse(read_input_text(path, "population file", PopulationError), source=path.name)

    @classmethod
    def parse(cls, text: str, *, source: str = "population file") -> Population:
        by_ethnicity: dict[str, int] = {}
        seen_on_line: dict[str, int] = {}
        total: int | None = None
        first_row = True
        reader = csv.reader(io.StringIO(text))
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            is_first, first_row = first_row, False
            cells = [f.strip() for f in fields]
            if is_first and tuple(c.lower() for c in cells) == HEADER:
                continue
            if len(cells) != 2:
                raise PopulationError(
                    f"{source} line {line}: expected 2 values (ethnicity,children), found {len(cells)}"
                )
            raw_code, raw_count = cells
            code = _ethnicity_code(raw_code, source, line)
            count = _children(raw_count, source, line)
            if code in seen_on_line:
                raise PopulationError(
                    f"{source} line {line}: {raw_code!r} repeats line {seen_on_line[code]} ({code})"
                )
            seen_on_line[code] = line
            if code == TOTAL:
                total = count
            else:
                by_ethnicity[code] = count
        if total is None and not by_ethnicity:
            raise PopulationError(f"{source}: no population rows (expected ethnicity,children lines)")
        summed = sum(by_ethnicity.values())
        if total is None:
            total = summed
        elif total < summed:
            raise PopulationError(
                f"{source} line {seen_on_line[TOTAL]}: TOTAL {total} is less than the rows' sum {summed}"
            )
        if total == 0:
            raise PopulationError(f"{source}: the total population is 0, so no rate can be worked out")
        return cls(total=total, by_ethnicity=by_ethnicity)


def read_input_text(path: Path, what: str, error: type[ValueError]) -> str:
    """A file an analyst supplies, as text (UTF-8, with or without a byte-order mark).

    Errors name the file (not its whole path, which may hold a user's name) and what went wrong.
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{path.name}: no such {what}") from None
    except UnicodeDecodeError as problem:
        raise error(f"{path.name}: not a UTF-8 text file (byte {problem.start} cannot be read)") from None


def _ethnicity_code(raw: str, source: str, line: int) -> str:
    code = raw.upper()
    if code == TOTAL or code in codes.ETHNICITY:
        return code
    if code in codes.ETHNICITY_LETTER_DIGIT:
        return codes.ETHNICITY_LETTER_DIGIT[code]
    raise PopulationError(
        f"{source} line {line}: ethnicity {raw!r} is not a DfE ethnicity code (e.g. WBRI), "
        f"a letter-digit code (e.g. A1) or TOTAL"
    )


def _children(raw: str, source: str, line: int) -> int:
    # Spreadsheets export thousands with separators ("12,345" in quotes).
    digits = raw.replace(",", "").replace(" ", "")
    if not digits.isdigit() or not digits.isascii():
        raise PopulationError(f"{source} line {line}: children {raw!r} is not a whole number of 0 or more")
    return int(digits)
