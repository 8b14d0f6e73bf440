"""Hostile and odd files through the applicant's upload form and a real worker.

Each file is refused at upload with a reason shown at the field, or is stored and ends read, "needs
attention" or "needs manual check" with a reason: never a 500, never a file left queued, never an
application or a record lost, never stored bytes without their row.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.config import PROJECT_ROOT
from portal.db import db
from portal.enums import ApplicationState, DocumentStatus
from portal.models.applications import Application, TrainingRecord
from portal.models.documents import Document
from tests.factories import applications as data
from tests.factories import documents as build

CORPUS = (PROJECT_ROOT / ".." / "shared" / "corpus" / "py-pdf-sample-files").resolve()
ENDED = {DocumentStatus.READ, DocumentStatus.NEEDS_ATTENTION, DocumentStatus.MANUAL}


def _hostile_files(folder: Path) -> dict[str, Path]:
    """Generated attacks and accidents, by name."""
    folder.mkdir(exist_ok=True)
    polyglot = folder / "polyglot.pdf"
    polyglot.write_bytes(
        b"<html><script>alert(1)</script></html>\n"
        + build.make_pdf(folder / "inner.pdf", ["Certificate of Completion"]).read_bytes()
    )
    macro = build.make_docx(folder / "macro.docx", ["Participant: Jean Dupont"])
    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\0" * 64)
    plain_zip = folder / "archive.docx"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    return {
        "zip bomb DOCX (30 MB of zeros in one part)": build.make_zip_bomb_docx(folder / "bomb.docx"),
        "DOCX with 500 parts": build.make_docx_with_many_entries(folder / "many.docx"),
        "billion laughs DOCX": build.make_billion_laughs_docx(folder / "laughs.docx"),
        "DOCX of 15 MB of XML": build.make_large_docx(folder / "large.docx", megabytes=15),
        "PDF nested 100,000 arrays deep": build.make_deeply_nested_pdf(folder / "nested.pdf"),
        "PDF nested 50,000 dictionaries deep": build.make_nested_dictionary_pdf(folder / "dicts.pdf"),
        "PDF of 5,000 pages": build.make_many_pages_pdf(folder / "pages.pdf"),
        "PDF stream bomb (30 MB inflated)": build.make_pdf_stream_bomb(folder / "stream.pdf"),
        "truncated PDF": build.make_truncated_pdf(folder / "truncated.pdf"),
        "scanned PDF without text": build.make_image_only_pdf(folder / "scan.pdf"),
        "encrypted PDF": build.make_pdf(folder / "locked.pdf", ["Certificate"], user_password="secret"),
        "DOCX named .pdf": build.make_docx_named_pdf(folder / "renamed.pdf"),
        "HTML before the PDF header": polyglot,
        "DOCX with macros": macro,
        "ZIP that is not a DOCX": plain_zip,
        "random bytes": build.make_random_bytes(folder / "noise.pdf"),
        "empty file": build.make_empty_file(folder / "empty.pdf"),
    }


@pytest.fixture
def application_id(applicant_client) -> int:
    application_id = data.start_application(applicant_client)
    assert (
        applicant_client.post(f"/applications/{application_id}/about", data=data.about()).status_code == 302
    )
    return application_id


def _upload(client, application_id: int, content, name: str):
    # Encoded in memory: for a large body the test client otherwise spools to a temporary file that it
    # leaves open when the portal answers without reading it (413).
    form = MultiDict(data.training())
    form.add("certificate", FileStorage(content, filename=name, content_type="application/pdf"))
    boundary, body = encode_multipart(form)
    return client.post(
        f"/applications/{application_id}/training/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _field_error(response) -> str:
    """The reason shown at the certificate field."""
    text = html.unescape(response.get_data(as_text=True))
    found = re.search(r'id="certificate-error">(.*?)</p>', text, re.DOTALL)
    assert found, "the refusal gives no reason at the field"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).replace("Error:", "").split())


def _feed(client, worker, app, application_id: int, files: dict[str, Path]) -> dict[str, str]:
    """Upload each file, let the worker read what was accepted; the outcome of each, by name."""
    outcomes, accepted = {}, {}
    for name, path in files.items():
        with path.open("rb") as content:
            response = _upload(client, application_id, content, path.name)
        assert response.status_code in (200, 302), (name, response.status_code)
        if response.status_code == 200:
            outcomes[name] = f"refused: {_field_error(response)}"
        else:
            accepted[name] = db.session.scalars(select(Document.id).order_by(Document.id.desc())).first()
    worker.drain()
    db.session.expire_all()
    for name, document_id in accepted.items():
        document = db.session.get(Document, document_id)
        assert document.status in ENDED, (name, document.status)
        assert document.status == DocumentStatus.READ or document.status_reason, (name, "no reason")
        outcomes[name] = f"{document.status.label}: {document.status_reason or ''}".rstrip(": ")

    application = db.session.get(Application, application_id)
    assert application is not None and application.state == ApplicationState.DRAFT
    assert application.full_name == "Ada Lovelace"
    records = db.session.scalar(
        select(func.count())
        .select_from(TrainingRecord)
        .where(TrainingRecord.application_id == application_id)
    )
    assert records == len(accepted)  # a refused file saves no record; an accepted one loses none
    stored = sorted(path.name for path in Path(app.config["UPLOAD_DIR"]).iterdir())
    assert stored == sorted(db.session.scalars(select(Document.storage_key)))  # no bytes without their row
    return outcomes


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is not here")
def test_every_pdf_of_the_public_corpus_is_read_or_left_for_a_person_with_a_reason(
    applicant_client, worker, app, application_id
):
    files = {str(path.relative_to(CORPUS)): path for path in sorted(CORPUS.rglob("*.pdf"))}
    assert len(files) >= 30
    outcomes = _feed(applicant_client, worker, app, application_id, files)
    assert len(outcomes) == len(files)
    print("\n".join(f"{name}: {outcome}" for name, outcome in sorted(outcomes.items())))
    assert outcomes["005-libreoffice-writer-password/libreoffice-writer-password.pdf"].startswith(
        "Needs manual check"
    )
    assert sum(outcome.startswith(("Read", "Needs attention")) for outcome in outcomes.values()) >= 20


def test_generated_hostile_files_are_refused_or_left_for_a_person_with_a_reason(
    applicant_client, worker, app, application_id, tmp_path
):
    outcomes = _feed(applicant_client, worker, app, application_id, _hostile_files(tmp_path / "hostile"))
    print("\n".join(f"{name}: {outcome}" for name, outcome in sorted(outcomes.items())))
    for name in (
        "zip bomb DOCX (30 MB of zeros in one part)",
        "billion laughs DOCX",
        "DOCX with 500 parts",
        "PDF stream bomb (30 MB inflated)",
        "encrypted PDF",
        "truncated PDF",
    ):
        assert outcomes[name].startswith("Needs manual check: "), (name, outcomes[name])
    # A scan has no text layer: Tesseract reads its picture of text, and without the engine a person does.
    scan = outcomes["scanned PDF without text"]
    if shutil.which("tesseract"):
        assert scan.startswith(("Read", "Needs attention")), scan
    else:
        assert scan.startswith("Needs manual check: no text layer"), scan
    for name in (
        "HTML before the PDF header",
        "DOCX with macros",
        "ZIP that is not a DOCX",
        "random bytes",
        "empty file",
    ):
        assert outcomes[name].startswith("refused: "), (name, outcomes[name])


def test_a_file_over_the_size_limit_is_refused_with_the_limit_and_nothing_is_kept(
    applicant_client, app, application_id
):
    limit = app.config["MAX_UPLOAD_BYTES"]
    just_over = io.BytesIO(b"%PDF-1.7\n" + b"0" * limit)
    response = _upload(applicant_client, application_id, just_over, "big.pdf")
    assert response.status_code == 200
    assert f"larger than {app.config['MAX_UPLOAD_MB']} MB" in _field_error(response)

    huge = io.BytesIO(b"%PDF-1.7\n" + b"0" * (6 * limit))  # past the request cap: refused before it is read
    response = _upload(applicant_client, application_id, huge, "huge.pdf")
    assert response.status_code == 413 and b"The file is too large" in response.data
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert list(Path(app.config["UPLOAD_DIR"]).iterdir()) == []
    assert db.session.get(Application, application_id).state == ApplicationState.DRAFT
