"""The names of the background jobs: what an outbox row, the scheduler and the actors' declarations agree on.

Callers queue a job by its name (``outbox.enqueue(jobs.PROCESS_DOCUMENT, document.id)``), so the code that
asks for a job never imports the code that runs it; ``portal/tasks`` declares each actor under its name here.
"""

from __future__ import annotations

DELIVER_EMAIL = "deliver_email"
DELIVER_EMAILS = "deliver_emails"
PROCESS_DOCUMENT = "process_document"
REMIND_CHECKPOINTS = "remind_checkpoints"
QUEUE_CHAPTER_REPORTS = "queue_chapter_reports"
SEND_CHAPTER_REPORT = "send_chapter_report"
SWEEP_REFERENCES = "sweep_references"
SWEEP_CREDENTIALS = "sweep_credentials"
BUILD_DATA_EXPORT = "build_data_export"
SWEEP_DATA_RIGHTS = "sweep_data_rights"
DELIVER_WEBHOOK = "deliver_webhook"
SWEEP_WEBHOOKS = "sweep_webhooks"

# Jobs that leave the outbox together may go to the broker as one job for many rows: the single job's name ->
# the batch job's name (it takes a list of the single job's first arguments) and the setting for its size.
BATCHES = {DELIVER_EMAIL: (DELIVER_EMAILS, "MAIL_BATCH_SIZE")}
