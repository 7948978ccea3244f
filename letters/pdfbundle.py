"""The print bundle: one PDF of many letters, written letter by letter so memory does not grow with the wave.

pikepdf (qpdf) keeps every copied object of every source in memory until the merged file is saved: about
300 kB per letter, 1.5 GB for a wave of 5,000. :class:`BundleWriter` instead copies one letter at a time: it
opens the letter's PDF, writes the objects its pages use (renumbered, stream data copied as is, still compressed)
straight to the output file, and closes the letter again. Only the object offsets and the page numbers stay in
memory. The pages hang in a two-level page tree (groups of ``GROUP`` pages), which viewers and print servers
handle faster than one flat list of ten thousand pages.
"""

from __future__ import annotations

import decimal
import hashlib
from pathlib import Path
from typing import BinaryIO

import pikepdf

GROUP = 256  # pages per intermediate /Pages node
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_T = pikepdf.ObjectType


class BundleWriter:
    """Append letters' pages to one PDF; call :meth:`close` to finish the file (page tree, xref, trailer)."""

    def __init__(self, handle: BinaryIO, *, title: str = "") -> None:
        self._out = handle
        self._position = 0
        self._digest = hashlib.sha256()
        self._offsets: dict[int, int] = {}
        self._next = 1
        self._root_pages = self._reserve()
        self._catalog = self._reserve()
        self._groups: list[tuple[int, list[int]]] = []  # (number of the /Pages node, page numbers)
        self._title = title
        self.pages = 0
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _reserve(self) -> int:
        number = self._next
        self._next += 1
        return number

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)
        self._position += len(data)

    def _group(self) -> int:
        """The /Pages node the next page belongs to (a new one every ``GROUP`` pages)."""
        if not self._groups or len(self._groups[-1][1]) >= GROUP:
            self._groups.append((self._reserve(), []))
        return self._groups[-1][0]

    def add(self, path: str | Path) -> int:
        """Append every page of the PDF at ``path``; returns its number of pages."""
        with pikepdf.open(path) as source:
            numbers: dict[tuple[int, int], int] = {}
            queue: list[pikepdf.Object] = []

            def ref(obj: pikepdf.Object) -> bytes:
                if obj._type_code == _T.dictionary and obj.get("/Type") == pikepdf.Name.Pages:
                    return b"%d 0 R" % self._root_pages  # the source's page tree is replaced by the bundle's
                key = obj.objgen
                number = numbers.get(key)
                if number is None:
                    number = numbers[key] = self._reserve()
                    queue.append(obj)
                return b"%d 0 R" % number

            pages = []
            for page in source.pages:
                obj = page.obj
                numbers[obj.objgen] = self._reserve()
                pages.append(obj)
            for obj in pages:
                parent = self._group()
                self._groups[-1][1].append(numbers[obj.objgen])
                entries = {key: obj[key] for key in obj.keys() if key != "/Parent"}
                ancestor = obj.get("/Parent")
                while ancestor is not None:  # attributes a page inherits from its page tree travel with it
                    for key in _INHERITED:
                        if key not in entries and key in ancestor:
                            entries[key] = ancestor[key]
                    ancestor = ancestor.get("/Parent")
                body = b"".join(
                    pikepdf.Name(key).unparse() + b" " + _serialise(value, ref) for key, value in entries.items()
                )
                self._object(numbers[obj.objgen], b"<<" + body + b"/Parent %d 0 R>>" % parent)
                self.pages += 1
            while queue:
                obj = queue.pop()
                number = numbers[obj.objgen]
                if obj._type_code == _T.stream:
                    data = obj.read_raw_bytes()
                    body = b"".join(
                        pikepdf.Name(key).unparse() + b" " + _serialise(obj[key], ref)
                        for key in obj.keys()
                        if key != "/Length"
                    )
                    self._object(number, b"<<" + body + b"/Length %d>>\nstream\n" % len(data) + data + b"\nendstream")
                else:
                    self._object(number, _serialise(obj, ref, top=True))
            return len(pages)

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def close(self) -> str:
        """Write the page tree, catalogue, cross-reference table and trailer; returns the file's SHA-256."""
        for number, kids in self._groups:
            refs = b" ".join(b"%d 0 R" % kid for kid in kids)
            self._object(
                number, b"<</Type/Pages/Parent %d 0 R/Count %d/Kids[%s]>>" % (self._root_pages, len(kids), refs)
            )
        refs = b" ".join(b"%d 0 R" % number for number, _ in self._groups)
        self._object(self._root_pages, b"<</Type/Pages/Count %d/Kids[%s]>>" % (self.pages, refs))
        self._object(self._catalog, b"<</Type/Catalog/Pages %d 0 R>>" % self._root_pages)
        info = self._reserve()
        self._object(info, b"<</Title " + pikepdf.String(self._title).unparse() + b"/Producer(Herinschrijving)>>")
        start = self._position
        size = self._next
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self._offsets[number] for number in range(1, size)]
        self._write(b"".join(lines))
        self._write(
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n"
            % (size, self._catalog, info, start)
        )
        return self._digest.hexdigest()


def _serialise(obj, ref, *, top: bool = False) -> bytes:
    """PDF syntax of ``obj`` with references to indirect objects renumbered by ``ref``."""
    if isinstance(obj, pikepdf.Object):
        if obj.is_indirect and not top:
            return ref(obj)
        code = obj._type_code
        if code == _T.dictionary:
            return (
                b"<<"
                + b"".join(pikepdf.Name(key).unparse() + b" " + _serialise(obj[key], ref) for key in obj.keys())
                + b">>"
            )
        if code == _T.array:
            return b"[" + b" ".join(_serialise(item, ref) for item in obj) + b"]"
        if code == _T.stream:  # a stream is always indirect; only reached for a malformed file
            raise ValueError("Een PDF-stream kan niet direct in een ander object staan.")
        return obj.unparse(resolved=True)  # an indirect string or name at the top is written as its value
    if obj is None:
        return b"null"
    if isinstance(obj, bool):
        return b"true" if obj else b"false"
    if isinstance(obj, int):
        return b"%d" % obj
    if isinstance(obj, decimal.Decimal | float):
        return format(decimal.Decimal(obj), "f").encode()
    raise TypeError(f"Onbekend PDF-object: {type(obj).__name__}")
