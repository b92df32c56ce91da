"""What is refused before a file is parsed: a missing or oversized file, and hostile XML."""

from __future__ import annotations

import os
from pathlib import Path

from cpqa.interop.errors import CinFileError, quote_value

DEFAULT_MAX_BYTES = 500_000_000
MAX_BYTES_ENV = "CPQA_CIN_MAX_BYTES"

# Scanning for these before parsing keeps entity tricks (XXE, "billion laughs") out entirely,
# whatever the parser's own settings.
_HOSTILE_MARKERS = (b"<!doctype", b"<!entity")
_SCAN_CHUNK = 1 << 20


def max_bytes_from_environment() -> int:
    text = os.environ.get(MAX_BYTES_ENV)
    if text is None or not text.strip():
        return DEFAULT_MAX_BYTES
    if not text.strip().isdigit() or int(text) <= 0:
        raise CinFileError(
            f"{MAX_BYTES_ENV} must be a positive whole number of bytes, not {quote_value(text)}"
        )
    return int(text)


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise CinFileError("no such file", path=path) from None
    except OSError as exc:
        raise CinFileError(f"cannot read the file ({exc.strerror})", path=path) from None


def refuse_hostile_or_oversized(path: Path, max_bytes: int | None) -> int:
    """The file's size, once it is known to be a UTF-8 file under the limit with no DOCTYPE or ENTITY."""
    limit = max_bytes if max_bytes is not None else max_bytes_from_environment()
    size = file_size(path)
    if path.is_dir():
        raise CinFileError("is a folder, not a census file", path=path)
    if size > limit:
        raise CinFileError(
            f"the file is {size:,} bytes, over the limit of {limit:,} bytes "
            f"(set {MAX_BYTES_ENV} to allow larger files)",
            path=path,
        )
    with path.open("rb") as handle:
        head = handle.read(4)
        # A UTF-16/32 file would hide a DOCTYPE from the byte scan below; census files are UTF-8.
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
            raise CinFileError("the file is not UTF-8 encoded; save it as UTF-8 and try again", path=path)
        handle.seek(0)
        tail = b""
        lines_before_chunk = 1
        while chunk := handle.read(_SCAN_CHUNK):
            # The tail of the previous chunk catches a marker split across two reads.
            window = (tail + chunk).lower()
            for marker in _HOSTILE_MARKERS:
                at = window.find(marker)
                if at != -1:
                    line = lines_before_chunk - tail.count(b"\n") + window.count(b"\n", 0, at)
                    kind = "DOCTYPE" if marker == b"<!doctype" else "ENTITY"
                    raise CinFileError(
                        f"the file contains a {kind} declaration; census files never need one and "
                        "cpqa refuses them (they can be used to read other files or exhaust memory)",
                        path=path,
                        line=line,
                    )
            lines_before_chunk += chunk.count(b"\n")
            tail = chunk[-16:]
    return size
