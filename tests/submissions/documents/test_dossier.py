"""The dossier PDF: the application's text (from the score page's selector), its
attachments listed with sizes, photos drawn, PDF attachments appended and every page
stamped."""

import io

import pytest
from pypdf import PdfReader

from submissions.documents.certificates import CERTIFICATE_WORDING, certificate_pdf
from submissions.documents.dossier import dossier_pdf
from submissions.documents.pdf import page_count, para, render
from submissions.selectors.application_body import application_body, submission_get_for_dossier
from tests import factories


def pdf_with_pages(n: int) -> bytes:
    from reportlab.platypus import PageBreak

    story = []
    for i in range(n):
        story += [para(f"Annex page {i + 1}"), PageBreak()]
    return render(story[:-1])


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 400), (20, 120, 160)).save(out, format="PNG")
    return out.getvalue()


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def entry(db):
    org = factories.OrganisationFactory(name="Montréal-Nord", country="CA")
    sub = factories.CompleteSubmissionFactory(
        organisation=org, status="submitted", title="Jardins partagés de quartier"
    )
    factories.PartnerFactory(submission=sub, name="广州市城市规划协会", role="Planning advice")
    factories.PartnerFactory(submission=sub, name="Fundación Ciudad Señorial", role="Workshops")
    return sub


def _load(sub):
    return submission_get_for_dossier(pk=sub.pk)


def test_application_body_sections_in_reading_order(entry):
    sections = application_body(submission=_load(entry))
    assert [s.key for s in sections] == ["city", "basic", "initiative", "attachments"]
    goals = [b for b in sections[2].blocks if b.kind == "goals"][0]
    assert goals.items == (11, 16)
    partners = [b for b in sections[2].blocks if b.kind == "partners"][0]
    assert [p.name for p in partners.items] == ["广州市城市规划协会", "Fundación Ciudad Señorial"]


def test_dossier_has_title_abstract_partners_and_stamp_on_every_page(entry):
    data = dossier_pdf(submission=_load(entry))
    text = text_of(data)
    flat = text.replace("\n", "")
    assert "Jardins partagés de quartier" in text
    assert entry.abstract in " ".join(text.split())
    assert "广州市城市规划协会" in flat
    assert "Fundación Ciudad Señorial" in text
    assert "Montréal-Nord" in text
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert entry.reference in page_text
        assert "Confidential – for assessment only" in page_text
        assert f"page {n} of {total}" in page_text
        assert f"Cycle {entry.cycle.number}" in page_text


def test_dossier_appends_pdf_attachments_and_lists_sizes(entry):
    without = page_count(dossier_pdf(submission=_load(entry)))
    annex = pdf_with_pages(3)
    factories.AttachmentFactory(
        submission=entry,
        file__data=annex,
        file__filename="annex.pdf",
        original_name="Annexe budgétaire.pdf",
        size_bytes=2 * 1024 * 1024,
    )
    factories.AttachmentFactory(
        submission=entry,
        file__data=b"%PDF-1.4 broken",
        original_name="damaged.pdf",
        size_bytes=15,
    )
    data = dossier_pdf(submission=_load(entry))
    # The list of attachments may push the body onto one more page, never more.
    assert page_count(data) in (without + 3, without + 4)
    text = text_of(data)
    assert "Annexe budgétaire.pdf" in text
    assert "2.0 MB" in text
    assert "damaged.pdf" in text  # listed, not appended
    assert text.count("Annex page") == 3
    last = PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    assert "Annex page 3" in last and entry.reference in last


def test_dossier_draws_photos_as_images(entry):
    factories.AttachmentFactory(
        submission=entry,
        kind="photo",
        file__data=png_bytes(),
        file__filename="park.png",
        original_name="park.png",
        content_type="image/png",
        caption="Le parc rénové",
    )
    data = dossier_pdf(submission=_load(entry))
    reader = PdfReader(io.BytesIO(data))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 1
    assert "Le parc rénové" in text_of(data)


def test_certificate_wording_covers_every_recognised_outcome():
    assert set(CERTIFICATE_WORDING) == {
        "winner",
        "medal_of_honor",
        "special_mention",
        "shortlisted",
        "deserving",
    }


@pytest.mark.parametrize("outcome", ["winner", "medal_of_honor", "shortlisted", "deserving"])
def test_certificate_one_landscape_page_with_city_title_and_outcome(db, outcome):
    org = factories.OrganisationFactory(name="São Paulo", country="BR")
    sub = factories.CompleteSubmissionFactory(
        organisation=org, status=outcome, title="Escolas abertas"
    )
    data = certificate_pdf(submission=sub)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height
    text = text_of(data).replace("\n", " ")
    assert "São Paulo" in text
    assert "Escolas abertas" in text
    assert str(CERTIFICATE_WORDING[outcome][0]) in text
    assert "广州国际城市创新奖" in text.replace(" ", "")
    assert f"Cycle {sub.cycle.number}" in text
