"""The health endpoints and worker heartbeats."""

from __future__ import annotations

import json
import logging

from portal.logs import JsonFormatter


def test_health_reports_the_database_and_no_workers(app, client):
    response = client.get("/health")
    # Redis is asked (a ping); a RabbitMQ broker is not, having no client to ask without connecting.
    broker = "not checked" if app.config["BROKER_URL"].startswith("amqp") else "ok"
    assert response.status_code == 200 and response.json == {
        "status": "ok",
        "database": "ok",
        "broker": broker,
        "workers": 0,
    }
    assert client.get("/health/workers").status_code == 503


def test_a_running_worker_is_seen_through_its_heartbeat(client, worker):
    response = client.get("/health/workers")
    assert response.status_code == 200 and response.json["workers"] == 1


def test_json_logs_are_one_object_per_line_with_extra_fields():
    record = logging.makeLogRecord(
        {"name": "portal.test", "levelname": "INFO", "msg": "sent %s", "args": ("mail",), "email_id": 7}
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "sent mail" and entry["email_id"] == 7 and entry["level"] == "INFO"
