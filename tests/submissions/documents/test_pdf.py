"""The PDF toolkit: every script comes back out of the PDF (no missing glyph), pages
are merged and stamped with the header and footer."""

import io

from pypdf import PdfReader

from submissions.documents.pdf import (
    CJK,
    KOREAN,
    LATIN,
    WIDE,
    PageStamp,
    assemble,
    document,
    font_runs,
    page_count,
    para,
    readable_pdf,
    render,
    rich,
)

NAMES = [
    "广州市 越秀区",
    "Montréal, Québec – São Paulo – A Coruña, España",
    "Señora Müller, Zürich « guillemets » ñandú",
    "Łódź İstanbul Hà Nội 서울 Москва",
]


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_font_runs_latin_in_helvetica_cjk_in_cid_font():
    assert font_runs("Guangzhou 广州 Montréal") == [
        (LATIN, "Guangzhou "),
        (CJK, "广州"),
        (LATIN, " Montréal"),
    ]
    assert font_runs("서울")[0][0] == KOREAN
    # Letters Helvetica's WinAnsi lacks go to the embedded DejaVu Sans, not a CJK font.
    assert font_runs("Łódź")[0] == (WIDE, "Ł")
    assert font_runs("Москва") == [(WIDE, "Москва")]


def test_rich_escapes_markup_and_keeps_line_breaks():
    assert rich("a < b & c\nd") == "a &lt; b &amp; c<br/>d"


def test_render_chinese_french_spanish_text_comes_back_out():
    text = _text(render([para(name) for name in NAMES]))
    for name in NAMES:
        assert name in text


def test_assemble_stamps_every_page_with_header_and_page_numbers():
    body = render([para("Lorem ipsum dolor sit amet. " * 300) for _ in range(3)])
    pages = page_count(body)
    assert pages >= 3
    pdf = assemble(
        [body, body],
        stamps=lambda i: PageStamp("GZA7-0001 · 广州", "Confidential – for assessment only"),
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2 * pages
    for n, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        # pypdf ends a line where the font changes: compare without line breaks
        assert "GZA7-0001 · 广州" in text.replace("\n", "")
        assert "Confidential – for assessment only" in text
        assert f"page {n} of {2 * pages}" in text


def test_readable_pdf_counts_pages_and_refuses_garbage():
    assert readable_pdf(render([para("one")])) == 1
    assert readable_pdf(b"%PDF-1.4 not really") == 0
    assert readable_pdf(b"") == 0


def test_document_renders_appends_and_stamps_in_one_call():
    annex = render([para("Annex")])
    pdf = document([para("Jury report")], stamp=PageStamp("Cycle 7"), appendices=[annex])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "page 2 of 2" in reader.pages[1].extract_text()
    assert "Annex" in reader.pages[1].extract_text()
