"""A saved email (.eml, RFC 5322) as evidence: recognised by its headers, read into blocks like any letter.

Referees often confirm an engagement by email, and the body of the International Mentoring Center's page
allows "letters or emails verifying" it. The sender, recipient, date and subject become label/value blocks
(so a letter's signer and date are found as in a letterhead), the plain-text body (or the HTML body as
text) becomes paragraphs. Attachments are not opened: an attached letter is uploaded on its own.
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

from .layout import BODY, HEADER, LABEL_VALUE, QUOTED, Block, role_of_text
from .limits import Limits

EML = "eml"

# The headers that make a file a saved message, and those a reviewer reads as the letter's head.
_REQUIRED = ("from",)
_ANY_OF = ("date", "subject", "to", "message-id")
_SHOWN = (("From", "from"), ("To", "to"), ("Date", "date"), ("Subject", "subject"))
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]?.*$")
_CONTINUATION = re.compile(rb"^[ \t]+\S")


class NotAnEmail(ValueError):
    """The bytes do not start like a saved email message."""


def looks_like_email(head: bytes) -> bool:
    """True when ``head`` (a file's first bytes) is a block of mail headers with a sender and a date, subject,
    recipient or message id: the shape every mail program saves. Decided without parsing a body."""
    if b"\x00" in head:
        return False
    names: set[str] = set()
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    for line in lines[:-1]:  # the last line may be cut off by the read
        if not line:
            break  # the blank line that ends the headers
        match = _HEADER_LINE.match(line)
        if match:
            names.add(match.group(1).decode("ascii").lower())
        elif not _CONTINUATION.match(line):
            return False
    else:
        if len(lines) < 3:
            return False
    return all(name in names for name in _REQUIRED) and any(name in names for name in _ANY_OF)


def read_email_blocks(path: Path, limits: Limits) -> list[Block]:
    """The message's head as label/value blocks and its body as paragraphs, within ``limits``."""
    with path.open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    if not isinstance(message, EmailMessage) or message["from"] is None:
        raise NotAnEmail("the file is not a saved email")
    blocks = [
        Block(LABEL_VALUE, [f"{label}: {value}"], source=HEADER, label=label, value=value)
        for label, name in _SHOWN
        if (value := _header(message, name))
    ]
    body = _body_text(message)[: limits.max_text_chars]
    if _FORWARDED.search(body):
        # A forwarded message is the evidence itself, with its writer as the signer, not a history.
        reply, quoted = _forwarded_unquoted(body), ""
    else:
        reply, quoted = split_reply(body)
    for part, source in ((reply, BODY), (quoted, QUOTED)):
        for paragraph in re.split(r"\n\s*\n", part):
            lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
            if lines:
                blocks.append(Block(role_of_text(" ".join(lines)), lines, source=source))
    return blocks


# Where a reply's quoted history starts: "On <date>, <person> wrote:" (one line or wrapped over two), a
# "-----Original Message-----" rule, or an Outlook-style "From: … / Sent: …" head.
_ATTRIBUTION = re.compile(
    r"^[ \t]*(?:on\b[^\n]{0,200}?(?:\n[^\n]{0,200}?)?\bwrote\s*:|-{2,}\s*original\s+message\s*-{2,}"
    r"|from\s*:[^\n]*\n(?:[ \t]*(?:sent|date|to|cc)\s*:[^\n]*\n?){1,4})",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTE_MARK = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)


def split_reply(body: str) -> tuple[str, str]:
    """A reply's own text and the message it quotes (unquoted), found by the quoting marks mail programs add:
    an attribution line or head, or lines starting with ">". The reply is what its sender wrote."""
    lines = body.split("\n")
    first_quoted = next((i for i, line in enumerate(lines) if _QUOTE_MARK.match(line)), len(lines))
    cut = len("\n".join(lines[:first_quoted]))
    attribution = _ATTRIBUTION.search(body)
    if attribution and attribution.start() <= cut:
        cut = attribution.start()
    if cut >= len(body):
        return body, ""
    return body[:cut], _QUOTE_MARK.sub("", body[cut:]).lstrip("\n")


_FORWARDED = re.compile(
    r"^[-\s>]*(?:-{2,}\s*)?(?:forwarded\s+message|original\s+message|begin\s+forwarded\s+message)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)


def _forwarded_unquoted(body: str) -> str:
    """A forwarded message is the evidence, even when quoted with "> ": after a "Forwarded message" marker its
    lines are kept with the quoting taken off (a reply's quoted history, with no marker, is still left out)."""
    marker = _FORWARDED.search(body)
    if marker is None:
        return body
    forwarded = re.sub(r"^(?:>[ \t]?)+", "", body[marker.end() :], flags=re.MULTILINE)
    return body[: marker.end()] + forwarded


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message[name]
    except (ValueError, IndexError, TypeError):  # a malformed header parses lazily and may fail here
        return ""
    return " ".join(str(value or "").split())[:300]


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, TypeError):  # an unknown charset or a broken transfer encoding
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    return _html_text(content) if part.get_content_subtype() == "html" else content


class _TextOfHtml(HTMLParser):
    """The visible text of an HTML mail body, one paragraph per block element."""

    _BREAKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table"}
    _CELLS = {"td", "th"}
    _HIDDEN = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self.quoting = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n" if tag != "br" else "\n")
        elif tag in self._CELLS:
            self.parts.append(_CELL)
        elif tag == "blockquote":
            # What a mail program quotes: marked as a plain-text reply marks it, so the split finds it.
            self.quoting += 1
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n")
        elif tag == "blockquote" and self.quoting:
            self.quoting -= 1
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data.replace("\n", "\n" + "> " * self.quoting) if self.quoting else data)
            if self.quoting and self.parts[-2:-1] and self.parts[-2].endswith("\n"):
                self.parts[-1] = "> " * self.quoting + self.parts[-1]


_CELL = "\x1f"


def _html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t\xa0]+", " ", "".join(parser.parts))
    # Cells of a row read as "Label | value", the way the text of a table reads everywhere else.
    return "\n".join(
        " | ".join(cell for part in line.split(_CELL) if (cell := part.strip())) if _CELL in line else line
        for line in text.split("\n")
    )
