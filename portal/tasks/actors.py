"""Every actor the portal declares, imported once the broker exists, and re-bound if the broker changes."""

from __future__ import annotations

import dramatiq

from portal.tasks import credentials, data_rights, documents, mail, programmes, references, webhooks

ACTORS: list[dramatiq.Actor] = [
    mail.deliver_email,
    mail.deliver_emails,
    documents.process_document,
    programmes.remind_checkpoints,
    references.sweep_references,
    credentials.sweep_credentials,
    data_rights.build_data_export,
    data_rights.sweep_data_rights,
    webhooks.deliver_webhook,
    webhooks.sweep_webhooks,
]


def bind(broker: dramatiq.Broker) -> None:
    for actor in ACTORS:
        if actor.broker is not broker:
            actor.broker = broker
            broker.declare_actor(actor)
