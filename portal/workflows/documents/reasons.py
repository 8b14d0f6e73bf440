"""Why a document was refused or left to a person, in the reader's language.

The reader writes its reasons in English (they are stored with the document and in the audit trail, in the
worker, where no reader is known); pages translate them when they show them. Each reason the reader can give
is a message below, its changing parts as placeholders: a stored reason is matched against the messages'
English and shown in the page's language, its parts translated in turn. A reason no message matches is shown
as stored.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.i18n import current_language

# Whole reasons. ``reason`` placeholders hold another reason, ``items`` a list of parts (below), both translated.
_REASONS = (
    # Refused on upload (portal/documents/sniff.py).
    _l("The file is empty."),
    _l("The file does not start like a PDF (it has content before the PDF header)."),
    _l(
        "Outlook .msg files and old Word .doc files cannot be read: save the email as .eml (or print it to "
        "PDF), or the document as .docx or PDF."
    ),
    _l(
        "The file is neither a PDF nor a Word (.docx) document, nor a JPEG, PNG or HEIC image, nor a saved "
        "email (.eml)."
    ),
    _l("The image is damaged: it declares no size."),
    _l(
        "The image is too large to read (%(width)s × %(height)s pixels; at most %(megapixels)s megapixels). "
        "A photo or scan at ordinary resolution is enough."
    ),
    _l("The PNG image is damaged: it has no header."),
    _l("The JPEG image is damaged: its size cannot be read."),
    _l("HEIC photos cannot be read here; upload a JPEG or PNG instead."),
    _l("The HEIC image is damaged and cannot be opened."),
    _l("The file is a ZIP archive but not a Word (.docx) document."),
    _l("Word documents with macros (.docm) are not accepted."),
    _l("The Word document is damaged and cannot be opened."),
    # Left to a person by the reader (extraction, reading, OCR, the sandbox and the job).
    _l("the file cannot be opened"),
    _l("it carries active content (%(items)s): open it with care and check it by hand"),
    _l("encrypted"),
    _l("no text layer (scanned image?)"),
    _l("too large when decompressed"),
    _l("damaged: the PDF cannot be opened"),
    _l("damaged: the Word document cannot be opened"),
    _l("no text found in the document"),
    _l("damaged: the email cannot be read"),
    _l("the email has no text (only attachments?): upload the attached letter itself"),
    _l("damaged: the PDF is nested too deeply to read"),
    _l("damaged: the Word document is nested too deeply to read"),
    _l("a scanned page: %(reason)s"),
    _l("no text layer (scanned image?) and no OCR engine (Tesseract) installed to read it"),
    _l("the scan or photo is too unclear to read: no words could be recognised"),
    _l("the scan or photo is too unclear to read reliably (OCR confidence %(confidence)s%%)"),
    _l("took too long to read (OCR)"),
    _l("the OCR engine could not read the image"),
    _l("damaged: the image cannot be decoded"),
    _l("took too long to read"),
    _l("too large to read"),
    _l("the reader crashed (%(signal)s)"),
    _l("the reader stopped unexpectedly (exit code %(code)s)"),
    _l("the reader failed (%(error)s)"),
    _l("Reading failed after %(attempts)s attempts: %(reason)s"),
    # Read, but contradicting the answers (portal/workflows/documents/operations.py).
    _l("Does not match what was declared: %(items)s"),
)

# Parts of a list in a reason: active content found, and the checks a document contradicted.
_PARTS = (
    _l("JavaScript"),
    _l("an action that launches a program"),
    _l("embedded files"),
    _l("embedded media"),
    _l("an XFA form (which can hold scripts)"),
    _l("a template fetched from %(target)s"),
    _l("content fetched from %(target)s"),
    _l("Training hours"),
    _l("Issued after the training ended"),
    _l("Participant"),
    _l("Programme"),
    _l("Training centre"),
    _l("Start date"),
    _l("End date"),
    _l("Instructor"),
    _l("Mentor"),
    _l("Mentee"),
    _l("Mentee e-mail"),
    _l("Mentoring started"),
    _l("Mentoring ended"),
)
_GROUPS = {"reasons": _REASONS, "parts": _PARTS}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def shown(reason: str | None) -> str | None:
    """``reason`` as stored, in the language of the current page or email."""
    if not reason or current_language() == "en":
        return reason
    return _translated(reason, "reasons") or reason


def _translated(text: str, group: str) -> str | None:
    for message, pattern in _patterns(group):
        match = pattern.fullmatch(text)
        if match:
            values = {name: _value(name, value) for name, value in match.groupdict().items()}
            return str(message) % values
    return None


def _value(name: str, value: str) -> str:
    if name == "reason":
        return _translated(value, "reasons") or value
    if name == "items":
        return ", ".join(_translated(item, "parts") or item for item in value.split(", "))
    return value


@cache
def _patterns(group: str) -> list[tuple[object, re.Pattern[str]]]:
    """Each message of ``group`` with a pattern matching its English, its placeholders as named groups."""
    messages = _GROUPS[group]
    with force_locale("en"):
        english = [str(message) for message in messages]
    patterns = []
    for message, text in zip(messages, english, strict=True):
        pieces = _PLACEHOLDER.split(text)
        # split() alternates literal text and placeholder names: literal at even positions.
        regex = "".join(
            re.escape(piece.replace("%%", "%")) if index % 2 == 0 else f"(?P<{piece}>.+?)"
            for index, piece in enumerate(pieces)
        )
        patterns.append((message, re.compile(regex, re.S)))
    return patterns
