"""Write src/cpqa/domain/bank_holidays.py from the `holidays` package.

Run after upgrading `holidays` (pyproject.toml pins it), from the repository root:
`PYTHONPATH=src .venv/bin/python scripts/write_bank_holidays.py`. tests/domain/test_calendar.py
fails until the committed table is what the package says.
"""

from __future__ import annotations

from pathlib import Path

import holidays

from cpqa.domain.calendar import FIRST_YEAR, LAST_YEAR, bank_holidays_from_package

TARGET = Path(__file__).resolve().parent.parent / "src" / "cpqa" / "domain" / "bank_holidays.py"

HEADER = '''"""England's bank holidays that fall on a weekday, {first} to {last}: the working calendar's
holidays (docs/definitions.md#working-day), as the `holidays` package {version} lists them for
country GB, subdivision ENG (substitute days and one-off days included).

Written by scripts/write_bank_holidays.py; do not edit by hand. The package loads every country
it knows when asked for one, which would cost every report about a tenth of a second, so the
calendar reads this table instead; tests/domain/test_calendar.py checks it against the package.
"""

# year -> "MM-DD MM-DD ...", in date order.
WEEKDAY_BANK_HOLIDAYS: dict[int, str] = {{
'''


def main() -> None:
    lines = [HEADER.format(first=FIRST_YEAR, last=LAST_YEAR, version=holidays.__version__)]
    for year, days in bank_holidays_from_package().items():
        lines.append(f'    {year}: "{" ".join(f"{d:%m-%d}" for d in days)}",\n')
    lines.append("}\n")
    TARGET.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {TARGET.name}")


if __name__ == "__main__":
    main()
