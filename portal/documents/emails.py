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

from .layout import BODY, HEADER, LABEL_VALUE, Block, role_of_text
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
    body = _forwarded_unquoted(_body_text(message)[: limits.max_text_chars])
    for paragraph in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip() and not line.startswith(">")]
        if lines:
            blocks.append(Block(role_of_text(" ".join(lines)), lines, source=BODY))
    return blocks


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

    _BREAKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}
    _HIDDEN = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"[ \t\xa0]+", " ", text)
