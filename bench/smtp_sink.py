"""A local SMTP sink for the benchmarks, in a process of its own so it does not share a GIL with the senders.

    python bench/smtp_sink.py PORT FILE

Accepts every message on 127.0.0.1:PORT and appends its Message-ID to FILE, one a line, as it arrives.
"""

from __future__ import annotations

import signal
import sys
import threading
from email.parser import BytesHeaderParser


class Sink:
    def __init__(self, path: str):
        self.out = open(path, "a", buffering=1)
        self.lock = threading.Lock()
        self.parser = BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope):
        message_id = self.parser.parsebytes(envelope.content)["Message-ID"] or "(none)"
        with self.lock:
            self.out.write(message_id.strip() + "\n")
        return "250 OK"


def main() -> None:
    from aiosmtpd.controller import Controller

    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
