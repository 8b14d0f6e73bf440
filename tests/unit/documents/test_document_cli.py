import json

from click.testing import CliRunner

from portal.documents.cli import documents
from tests.factories.documents import make_docx, make_empty_file, make_pdf


def test_extract_prints_one_json_object_per_file(tmp_path):
    certificate = make_pdf(
        tmp_path / "c.pdf", ["Participant: Jean Dupont", "Hours: 35", "Date of issue: 12 May 2024"]
    )
    letter = make_docx(tmp_path / "l.docx", ["Nothing to see here."])
    empty = make_empty_file(tmp_path / "e.pdf")

    result = CliRunner().invoke(documents, ["extract", str(certificate), str(letter), str(empty)])

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["path"] for line in lines] == [str(certificate), str(letter), str(empty)]
    assert lines[0] == {
        "path": str(certificate),
        "status": "read",
        "reason": None,
        "fields": {
            "participant_name": "Jean Dupont",
            "programme": None,
            "training_centre": None,
            "hours": 35,
            "start_date": None,
            "end_date": None,
            "issue_date": "2024-05-12",
            "instructor": None,
        },
    }
    assert lines[1]["status"] == "read" and set(lines[1]["fields"].values()) == {None}
    assert (lines[2]["status"], lines[2]["reason"]) == ("manual", "The file is empty.")


def test_extract_needs_a_path():
    result = CliRunner().invoke(documents, ["extract"])
    assert result.exit_code == 2
