"""The print bundle writer copies pages with everything they use, whatever the source PDF looks like."""

from __future__ import annotations

import hashlib
import io

import pikepdf

from letters import pdfbundle


def _source(path, *, pages: int) -> None:
    """A PDF whose pages inherit their size and rotation from the page tree and use indirect strings and arrays."""
    pdf = pikepdf.new()
    for number in range(pages):
        pdf.add_blank_page(page_size=(200, 300))
        page = pdf.pages[number].obj
        page.Title = pdf.make_indirect(pikepdf.String(f"pagina (nummer) {number + 1}"))
        page.Values = pdf.make_indirect(pikepdf.Array([1, 2.5, True, None, pikepdf.Name("/Met spatie")]))
        page.Self = pikepdf.Array([page, pikepdf.Name.Fit])
        del page["/MediaBox"]
    pdf.Root.Pages.MediaBox = pikepdf.Array([0, 0, 200, 300])
    pdf.Root.Pages.Rotate = 90
    pdf.save(path)


def test_the_bundle_keeps_every_page_with_its_inherited_size_values_and_links_to_itself(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfbundle, "GROUP", 2)
    _source(tmp_path / "a.pdf", pages=3)
    _source(tmp_path / "b.pdf", pages=2)
    out = io.BytesIO()
    writer = pdfbundle.BundleWriter(out, title="Printbundel batch 7")
    assert writer.add(tmp_path / "a.pdf") == 3
    assert writer.add(tmp_path / "b.pdf") == 2
    digest = writer.close()
    assert digest == hashlib.sha256(out.getvalue()).hexdigest()
    with pikepdf.open(io.BytesIO(out.getvalue())) as bundle:
        assert bundle.check_pdf_syntax() == []
        assert bundle.docinfo.Title == "Printbundel batch 7"
        titles = [str(page.obj.Title) for page in bundle.pages]
        assert titles == [f"pagina (nummer) {n}" for n in (1, 2, 3, 1, 2)]
        for page in bundle.pages:
            assert list(page.obj.MediaBox) == [0, 0, 200, 300] and page.obj.Rotate == 90
            assert [str(v) if isinstance(v, pikepdf.Name) else v for v in page.obj.Values][1:] == [
                2.5, True, None, "/Met spatie"
            ]  # fmt: skip
            assert page.obj.Self[0].objgen == page.obj.objgen
        assert bundle.Root.Pages.Count == 5 and len(bundle.Root.Pages.Kids) == 3  # groups of two pages
