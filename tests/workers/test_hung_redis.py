"""A hung Redis (a real server paused with SIGSTOP, as a stalled server or a partition behaves): pages keep
answering, a submit completes with its jobs left in the outbox, and after Redis resumes each goes out once."""

from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager

import dramatiq

from portal import outbox
from portal.db import db
from portal.enums import ApplicationState
from portal.launcher import start_embedded_redis, stop_process
from portal.models.applications import Application
from tests.factories import applications as data
from tests.helpers import join_queues, make_user, pending_messages, running_app, sign_in, stop_worker

# "Does not hang": far above the configured timeout (0.5 s), far below the 20 s and more seen before.
PROMPT = 8.0


@contextmanager
def answers_promptly(what: str):
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < PROMPT, f"{what} took {elapsed:.1f} s"


def test_a_paused_redis_slows_nothing_and_loses_nothing(app_config, _schema, tmp_path, smtp_server):
    redis_process, socket_path = start_embedded_redis(tmp_path / "broker", log=lambda message: None)
    app_config.update(
        BROKER_URL=f"unix://{socket_path}",
        RATELIMIT_ENABLED=True,  # the limiter's storage is this Redis too
        REDIS_TIMEOUT_SECONDS=0.5,
        REDIS_PAUSE_SECONDS=30,
    )
    paused = False
    try:
        with running_app(app_config) as app:
            from portal.tasks.broker import current_broker

            broker = current_broker()
            applicant = make_user("ada.applicant@example.com", name="Ada Lovelace")
            client = app.test_client()
            sign_in(client, applicant)
            application_id = data.start_application(client)
            data.fill_application(client, application_id, tmp_path)

            os.kill(redis_process.pid, signal.SIGSTOP)
            paused = True
            with answers_promptly("the home page"):
                assert app.test_client().get("/").status_code == 200
            with answers_promptly("a signed-in page"):
                assert client.get("/applications/").status_code == 200
            with answers_promptly("a sign-in (rate-limited through Redis)"):
                assert sign_in(app.test_client(), applicant).status_code == 302
            with answers_promptly("a submit"):
                assert client.post(f"/applications/{application_id}/submit").status_code == 302
            assert db.session.get(Application, application_id).state != ApplicationState.DRAFT
            assert outbox.pending_count() > 0  # the jobs wait in the outbox, committed with the data
            with answers_promptly("the health check"):
                health = client.get("/health")
            assert health.status_code == 503 and health.json["status"] == "degraded"
            assert health.json["broker"] == "unreachable"

            os.kill(redis_process.pid, signal.SIGCONT)
            paused = False
            outbox.sweep(grace_seconds=0)  # the sweep tries even while the web's circuit is open
            assert outbox.pending_count() == 0
            assert client.get("/health").status_code == 200  # the sweep closed the circuit
            worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=50)
            worker.start()
            try:
                while True:
                    join_queues(broker)
                    worker.join()
                    if not pending_messages(broker):
                        break
            finally:
                stop_worker(broker, worker)
            subjects = [m["Subject"] for m in smtp_server.to("ada.applicant@example.com")]
            assert subjects.count(f"We have received your application – CPM-{application_id:06d}") == 1
    finally:
        if paused:
            os.kill(redis_process.pid, signal.SIGCONT)
        stop_process(redis_process)
