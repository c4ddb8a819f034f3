"""PDF plumbing for the dossier (pypdf): count pages, merge the parts, stamp the page numbers, add
the bookmarks."""

import io

from cases.documents.render import html_to_pdf, render_html


def _reader(data):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def page_count(data):
    return len(_reader(data).pages)


def stamp_pdf(total):
    """`total` A4 pages, each with only "第 N 页 共 M 页" in the top right corner."""
    return html_to_pdf(render_html("cases/dossier/stamp.html", {"pages": range(1, total + 1), "total": total}))


def assemble(parts, bookmarks=()):
    """Merge `parts` (PDF bytes, in order), stamp every page with the dossier's page number and add
    `bookmarks` [(title, first page index)]. Returns (PDF bytes, number of pages)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in parts:
        writer.append(_reader(data), import_outline=False)
    total = len(writer.pages)
    stamps = _reader(stamp_pdf(total))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
    for title, index in bookmarks:
        writer.add_outline_item(title=title, page_number=index)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total
