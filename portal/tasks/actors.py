"""Every actor the portal declares, imported once the broker exists, and re-bound if the broker changes."""

from __future__ import annotations

import dramatiq

from portal.tasks import credentials, documents, mail, programmes, references

ACTORS: list[dramatiq.Actor] = [
    mail.deliver_email,
    mail.deliver_emails,
    documents.process_document,
    programmes.remind_checkpoints,
    references.sweep_references,
    credentials.sweep_credentials,
]


def bind(broker: dramatiq.Broker) -> None:
    for actor in ACTORS:
        if actor.broker is not broker:
            actor.broker = broker
            broker.declare_actor(actor)
