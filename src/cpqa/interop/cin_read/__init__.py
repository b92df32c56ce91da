"""Read DfE Children in Need (CIN) census XML files into the record's tables.

One file becomes one `Record` (source "cin-census"); several years' files merge into one record
by LAchildID, a later file's facts updating the same child. The file is streamed (one `Child`
at a time, cleared as soon as it is read), so a whole country's return fits in memory.

What the reader refuses, and what it leaves to the checks
----------------------------------------------------------
It refuses (CinFileError naming file, line, child and element, and nothing is loaded) what it
cannot turn into the record faithfully: malformed or hostile XML (a DOCTYPE or ENTITY is
refused before parsing), a file over the size limit, an impossible date or number, an unknown
code in a coded item, and a missing element that identifies a record (LAchildID, the referral
and start dates that key episodes, enquiries and plans). The facts the DfE's child protection
rules judge (categories of abuse, NumberOfPreviousCPP, blank review dates, the order of dates)
are read as they stand, so `cin_check` can report them with their DfE rule numbers.

Ids
---
child_id is the LAchildID. Every other id is the LAchildID plus positions, e.g.
`SYN00000001/e1/p2` (the child's first episode, its second plan): deterministic for a file,
and for a list of files (positions count in order of first appearance).

Where things are
----------------
`reading` (the entry points and the streaming loop), `guard` (what is refused before parsing),
`items` (reading one element's values), one module per census module (`header`, `child`,
`cin_details`, `assessments`, `cin_plans`, `section47`, `cp_plans` with its reviews), `raw`
(the tables they fill), `merge` (several files) and `record` (ids and conferences).
"""

from cpqa.interop.cin_read.guard import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, max_bytes_from_environment
from cpqa.interop.cin_read.header import CinHeader
from cpqa.interop.cin_read.reading import CinFile, Progress, read_cin, read_cin_file, read_cin_files
from cpqa.interop.cin_read.record import SOURCE, UNAVAILABLE

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "SOURCE",
    "UNAVAILABLE",
    "CinFile",
    "CinHeader",
    "Progress",
    "max_bytes_from_environment",
    "read_cin",
    "read_cin_file",
    "read_cin_files",
]
