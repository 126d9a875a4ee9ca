"""Whether a PDF is whole and its pages possible: the checks `read_pdf` makes before trusting pypdf.

Truncation. A PDF is read from its end: the last `startxref` gives the offset of the last cross-reference
section, whose /Prev leads to the previous one, and so on. A file cut during a download or a copy loses that
end. But the %%EOF marker alone proves nothing either way: scanners pad files with NULs, webmails append a
footer, a crashed save leaves half an incremental update after the marker (all complete files), while a
linearized file cut after its first page still holds a %%EOF of its own (a truncated one). So the rule is the
reader's: the file is complete when the chain reached from its last `startxref` is whole.

Page size. pypdf reports any MediaBox it finds, a zero-width or 5-metre page included; the providers then
reject the file or place signatures nowhere, long after the user could have replaced it.
"""

from __future__ import annotations

import math
import re

from pypdf import PageObject

#: The smallest and largest page sides PDF allows (ISO 32000-1, annex C): anything else is a broken file.
MIN_PAGE_PT = 3.0
MAX_PAGE_PT = 14_400.0
#: What may follow the final %%EOF of a file that ends properly.
_TRAILING_BLANKS = b" \t\r\n\f\x00"
#: Chains longer than this are loops or hostile files; real documents have a handful of revisions.
_MAX_SECTIONS = 256

_STARTXREF = re.compile(rb"startxref[ \t\r\n\f\x00]*(\d{1,12})")
_OBJECT_HEADER = re.compile(rb"[ \t\r\n\f\x00]*(\d{1,10})[ \t\r\n\f\x00]+(\d{1,5})[ \t\r\n\f\x00]+obj")
_TABLE_START = re.compile(rb"[ \t\r\n\f\x00]*xref")
_SUBSECTION = re.compile(rb"[ \t\r\n\f\x00]*(\d{1,10})[ \t\r\n\f\x00]+(\d{1,10})[ \t]*(?:\r\n|\r|\n)")
_ENTRY = re.compile(rb"(\d{10})[ \t]+(\d{5})[ \t]+([nf])[ \t\r\n]{1,2}")
_TRAILER = re.compile(rb"[ \t\r\n\f\x00]*trailer")
_PREV = re.compile(rb"/Prev[ \t\r\n\f\x00]+(\d{1,12})")
_XREFSTM = re.compile(rb"/XRefStm[ \t\r\n\f\x00]+(\d{1,12})")


def ends_properly(data: bytes) -> bool:
    """The file's last non-blank bytes are the %%EOF marker: the normal case, nothing to investigate."""
    return data.rstrip(_TRAILING_BLANKS).endswith(b"%%EOF")


def complete_revision_end(data: bytes) -> int | None:
    """Offset just after the number of the last `startxref` when the chain it starts is whole, else None.

    The bytes up to that offset are the last complete revision of the file; anything after it (padding,
    a footer, an unfinished update, a missing %%EOF) is not part of the document.
    """
    keyword = data.rfind(b"startxref")
    if keyword < 0:
        return None
    match = _STARTXREF.match(data, keyword)
    if match is None:  # cut inside "startxref" or before its number
        return None
    if _chain_is_whole(data, int(match.group(1))):
        return match.end()
    return None


def _chain_is_whole(data: bytes, offset: int) -> bool:
    seen: set[int] = set()
    pending = [offset]
    while pending:
        offset = pending.pop()
        if offset in seen:
            continue
        if len(seen) >= _MAX_SECTIONS or not 0 < offset < len(data):
            return False
        seen.add(offset)
        if _TABLE_START.match(data, offset):
            links = _table_links(data, offset)
        else:
            links = _stream_links(data, offset)
        if links is None:
            return False
        pending.extend(links)
    return True


def _table_links(data: bytes, offset: int) -> list[int] | None:
    """Check a classic xref table (every in-use entry within the file) and its trailer.

    An entry pointing inside the file but not at its object is damage, which pypdf repairs; one pointing past
    the end is what a cut leaves.

    Returns the offsets of the sections it links to (/Prev, /XRefStm of hybrid files), or None when broken.
    """
    start = _TABLE_START.match(data, offset)
    assert start is not None
    position = start.end()
    while subsection := _SUBSECTION.match(data, position):
        position = subsection.end()
        for _ in range(int(subsection.group(2))):
            entry = _ENTRY.match(data, position)
            if entry is None:
                return None
            position = entry.end()
            if entry.group(3) == b"n" and not 0 < int(entry.group(1)) < len(data):
                return None
    trailer = _TRAILER.match(data, position)
    if trailer is None:
        return None
    end = data.find(b"startxref", trailer.end())
    dictionary = data[trailer.end() : end if end >= 0 else len(data)]
    if b">>" not in dictionary:
        return None
    return _links(dictionary)


def _stream_links(data: bytes, offset: int) -> list[int] | None:
    """Check a cross-reference stream object is whole (header, /XRef dictionary, endstream, endobj).

    Its entries are compressed; they are not needed here: the last section of a cut file is never whole, and
    a section pointing past the end is caught through the /Prev it is reached by.
    """
    if not _OBJECT_HEADER.match(data, offset):
        return None
    stream = data.find(b"stream", offset)
    if stream < 0:
        return None
    dictionary = data[offset:stream]
    if b"/XRef" not in dictionary:
        return None
    end = data.find(b"endstream", stream)
    if end < 0 or data.find(b"endobj", end) < 0:
        return None
    return _links(dictionary)


def _links(dictionary: bytes) -> list[int]:
    return [int(m.group(1)) for pattern in (_PREV, _XREFSTM) if (m := pattern.search(dictionary))]


def page_box_problem(page: PageObject, number: int, name: str) -> str:
    """The French sentence refusing page `number` of `name` when its MediaBox cannot be a sheet, else "".

    Corners are taken as written: swapped corners are legal in theory, but the providers compute the width as
    right minus left, as the sandbox does, and get a negative page.
    """
    redo = "enregistrez le document à nouveau en PDF (Imprimer > PDF) avant l'envoi."
    try:
        box = page.mediabox
        width, height = float(box.right) - float(box.left), float(box.top) - float(box.bottom)
    except Exception:  # untrusted input: a missing or malformed /MediaBox raises anything
        return f"La page {number} de « {name} » n'a pas de taille lisible : {redo}"
    if all(math.isfinite(v) and MIN_PAGE_PT <= v <= MAX_PAGE_PT for v in (width, height)):
        return ""
    return (
        f"La page {number} de « {name} » a une taille impossible "
        f"({_fr_number(width)} × {_fr_number(height)} pt) : {redo}"
    )


def _fr_number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
