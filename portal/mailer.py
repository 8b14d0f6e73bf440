"""Turns a recorded email into a MIME message and hands it to SMTP, or to a .eml file when none is set."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import unicodedata
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from portal.models.outbox import EmailMessage

log = logging.getLogger(__name__)

TRANSIENT_SMTP = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
    OSError,
)


def message_id(email: EmailMessage, sender: str) -> str:
    """A stable Message-ID: the same row always yields the same header, so receivers can de-duplicate."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<email-{email.id}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def header_text(value: str) -> str:
    """``value`` on one line, as a header needs: each control or line-separator character (CR, LF, U+2028,
    NEL...) becomes a space. The email package encodes the rest (RFC 2047), so any name can stand in it."""
    return "".join(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in value)


def build_mime(email: EmailMessage, config: dict[str, Any]) -> MimeMessage:
    """The MIME message for ``email``. Raises ``ValueError`` (or ``email.errors.MessageError``) for a message
    that cannot be built, such as a recipient that is no address: a failure no retry mends."""
    mime = MimeMessage()
    mime["From"] = config["MAIL_SENDER"]
    mime["To"] = email.recipient
    mime["Reply-To"] = config["MAIL_REPLY_TO"]
    mime["Subject"] = header_text(email.subject)
    mime["Date"] = format_datetime(email.created_at)
    mime["Message-ID"] = message_id(email, config["MAIL_SENDER"]) if email.id else make_msgid()
    mime.set_content(email.text_body)
    mime.add_alternative(email.html_body, subtype="html")
    return mime


def deliver(mime: MimeMessage, config: dict[str, Any]) -> None:
    """Send over SMTP when ``SMTP_HOST`` is set, else write ``MAIL_DIR/<message-id>.eml`` and log its links."""
    if config["SMTP_HOST"]:
        _send_smtp(mime, config)
    else:
        _write_eml(mime, Path(config["MAIL_DIR"]))


def _send_smtp(mime: MimeMessage, config: dict[str, Any]) -> None:
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    security = config["SMTP_SECURITY"].lower()
    if security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            client.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        client.send_message(mime)
    except BaseException:
        client.close()
        raise
    # The server has taken the message: a failed goodbye must not make the caller send it again.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _write_eml(mime: MimeMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", mime["Message-ID"].strip("<>")) + ".eml"
    (folder / name).write_bytes(bytes(mime))
    links = sorted(set(re.findall(r"https?://\S+", mime.get_body(("plain",)).get_content())))
    log.info(
        "email to %s written to %s%s",
        mime["To"],
        folder / name,
        "".join(f"\n  link: {link}" for link in links),
    )
