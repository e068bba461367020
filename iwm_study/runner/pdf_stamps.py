"""The stamps a browser writes into a PDF (creation and modification dates, document and
instance ids), set to fixed values of the same length: the same page gives the same bytes.

A PDF's cross-reference table gives byte offsets, so every value is replaced in place by one of
the same length; the trailer's document ID is then made from the rest of the file, so the same
document keeps the same ID. Written here because no library normalises a finished PDF without
rewriting it (pypdf and pikepdf rewrite the whole file, and neither is a dependency).
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["normalise"]

#: ``(D:20261129073715+04'00')``: a PDF date in the document information dictionary.
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")
_FIXED_PDF_DATE = b"D:20000101000000Z"
#: XMP metadata (written with some options): dates and the document's and instance's ids.
_XMP_DATE = re.compile(
    rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)([^<]*)(</xmp:(?:CreateDate|ModifyDate|MetadataDate)>)"
)
_XMP_ID = re.compile(
    rb"(<xmpMM:(?:DocumentID|InstanceID)>)([^<]*)(</xmpMM:(?:DocumentID|InstanceID)>)"
)
#: ``/ID [<hex> <hex>]`` in the trailer.
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>\s*\]")


def normalise(pdf: bytes) -> bytes:
    """``pdf`` with the times and ids the browser stamped set to fixed values of the same
    length (so that the cross-reference offsets hold): the same page gives the same bytes."""
    out = _PDF_DATE.sub(_info_date, pdf)
    out = _XMP_DATE.sub(lambda m: m.group(1) + _digits_fixed(m.group(2)) + m.group(3), out)
    out = _XMP_ID.sub(lambda m: m.group(1) + _id_fixed(m.group(2)) + m.group(3), out)
    # the document ID last, from everything else: the same document, the same ID
    digest = hashlib.md5(_TRAILER_ID.sub(b"/ID []", out), usedforsecurity=False)
    hex_digest = digest.hexdigest().upper().encode("ascii") * 4

    def trailer(m: re.Match[bytes]) -> bytes:
        text, base = bytearray(m.group(0)), m.start(0)
        for k in (1, 2):  # each id's hex digits in place: the length is kept
            start, end = m.start(k) - base, m.end(k) - base
            text[start:end] = hex_digest[: end - start]
        return bytes(text)

    return _TRAILER_ID.sub(trailer, out)


def _info_date(m: re.Match[bytes]) -> bytes:
    """``/CreationDate (D:20000101000000Z)``, padded with spaces after the string (whitespace
    between tokens) to the length of the date it replaces."""
    old = m.group(2)
    if len(_FIXED_PDF_DATE) > len(old):  # shorter than any date Chromium writes: zero its digits
        new, pad = _digits_fixed(old), b""
    else:
        new, pad = _FIXED_PDF_DATE, b" " * (len(old) - len(_FIXED_PDF_DATE))
    return m.group(0)[: m.start(2) - m.start(0)] + new + b")" + pad


def _digits_fixed(text: bytes) -> bytes:
    """Every digit of a date replaced by the matching one of 2000-01-01 00:00:00 (length kept)."""
    fixed = b"20000101000000"
    out, k = bytearray(), 0
    for byte in text:
        if 0x30 <= byte <= 0x39:
            out.append(fixed[k] if k < len(fixed) else 0x30)
            k += 1
        else:
            out.append(byte)
    return bytes(out)


def _id_fixed(text: bytes) -> bytes:
    """An id ('uuid:1b4e28ba-...') with each hex digit after its prefix set to 0."""
    prefix, colon, rest = text.rpartition(b":")
    return prefix + colon + re.sub(rb"[0-9A-Fa-f]", b"0", rest)
