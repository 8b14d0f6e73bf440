"""Turns a recorded email into a MIME message and hands it to SMTP, or to a .eml file when none is set."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import threading
import time
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
    """Send over SMTP when ``SMTP_HOST`` is set, else write ``MAIL_DIR/<message-id>.eml`` and log its links.

    SMTP goes through this process's pool of open connections (:class:`SmtpPool`): a message the server has
    answered 250 to is never sent again by this call, whatever happens to the connection afterwards."""
    if config["SMTP_HOST"]:
        smtp_pool(config).send(mime)
    else:
        _write_eml(mime, Path(config["MAIL_DIR"]))


class _Tracked:
    """Knows whether the message's DATA was begun: before that, the server cannot have taken the message."""

    messages = 0
    data_begun = False
    last_used = 0.0

    def data(self, msg):
        self.data_begun = True
        return super().data(msg)


class _SMTP(_Tracked, smtplib.SMTP):
    pass


class _SMTP_SSL(_Tracked, smtplib.SMTP_SSL):
    pass


class SmtpPool:
    """Open SMTP connections kept for reuse by every thread of one process, one conversation per message.

    A connection serves at most ``per_connection`` messages, then says goodbye; one left idle longer than
    ``idle_seconds`` is closed rather than reused (servers drop quiet clients), and one idle longer than
    ``CHECK_AFTER`` seconds is asked NOOP before it carries a message. A connection found dropped before the
    message's DATA began (the server cannot have taken it) is replaced and the message sent once more on a
    fresh one; a failure after that point is the caller's to retry, as an answer may have been lost.
    """

    CHECK_AFTER = 2.0

    def __init__(self, settings: tuple, per_connection: int, idle_seconds: float):
        self.settings, self.per_connection, self.idle_seconds = settings, per_connection, idle_seconds
        self._idle: list[_Tracked] = []
        self._lock = threading.Lock()
        self.opened = 0  # connections this pool has opened, for the logs and the tests

    def send(self, mime: MimeMessage) -> None:
        client, reused = self._take()
        try:
            client.data_begun = False
            client.send_message(mime)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            _close(client)
            if not reused or client.data_begun:
                raise
            # A reused connection the server had dropped, before any of this message reached it.
            log.info("SMTP connection dropped while idle (%s): sending on a fresh one", error)
            client, reused = self._open(), False
            try:
                client.send_message(mime)
            except BaseException:
                _close(client)
                raise
        except BaseException:
            _close(client)
            raise
        # The server has taken the message: nothing below may make the caller send it again.
        client.messages += 1
        self._give_back(client)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for client in idle:
            _goodbye(client)

    def _take(self) -> tuple[_Tracked, bool]:
        now = time.monotonic()
        while True:
            with self._lock:
                client = self._idle.pop() if self._idle else None
            if client is None:
                return self._open(), False
            quiet = now - client.last_used
            if quiet > self.idle_seconds:
                _goodbye(client)
                continue
            if quiet > self.CHECK_AFTER:
                try:
                    healthy = client.noop()[0] == 250
                except (smtplib.SMTPException, OSError):
                    healthy = False
                if not healthy:
                    _close(client)
                    continue
            return client, True

    def _give_back(self, client: _Tracked) -> None:
        if client.messages >= self.per_connection:
            _goodbye(client)
            return
        client.last_used = time.monotonic()
        with self._lock:
            self._idle.append(client)

    def _open(self) -> _Tracked:
        host, port, timeout, security, user, password = self.settings
        if security == "tls":
            client: _Tracked = _SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = _SMTP(host, port, timeout=timeout)
        try:
            if security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if user:
                client.login(user, password)
        except BaseException:
            _close(client)
            raise
        with self._lock:
            self.opened += 1
        return client


def _close(client) -> None:
    try:
        client.close()
    except OSError:
        pass


def _goodbye(client) -> None:
    # Every message on it was taken: a failed goodbye changes nothing.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        _close(client)


_pools: dict[tuple, SmtpPool] = {}
_pools_lock = threading.Lock()


def smtp_pool(config: dict[str, Any]) -> SmtpPool:
    """This process's pool for the SMTP server ``config`` names (one per server and account)."""
    settings = (
        config["SMTP_HOST"],
        config["SMTP_PORT"],
        config["SMTP_TIMEOUT"],
        config["SMTP_SECURITY"].lower(),
        config["SMTP_USER"],
        config["SMTP_PASSWORD"],
    )
    pool = _pools.get(settings)
    if pool is None:
        with _pools_lock:
            pool = _pools.get(settings)
            if pool is None:
                pool = _pools[settings] = SmtpPool(
                    settings, max(1, config["SMTP_MESSAGES_PER_CONNECTION"]), config["SMTP_IDLE_SECONDS"]
                )
    return pool


def close_pools() -> None:
    """Say goodbye on every idle connection (a worker process stopping, or a test's server going away)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


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
