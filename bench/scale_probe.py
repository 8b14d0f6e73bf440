"""What grows with volume, measured on PostgreSQL: the figures behind docs/scaling.md.

    python bench/scale_probe.py [--applications 100000] [--factor 10] [--json FILE]

Loads the demo data (``flask demo seed``, as the HTTP benchmark does) into a database of its own, records the
size of each table per application, and times the reviewer queue's statements (EXPLAIN ANALYZE, the best of
five) at that volume. Then it multiplies the applications and their training records by ``--factor``, copying
rows with new ids (a 10x queue with the same mix of states, ages and reviewers), and times the same statements
again. Each row of the report is one statement at 1x and at the factor, with the ratio: what stays flat (the
keyset page) and what grows with the rows it counts (the counts).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Report, embedded_broker, scratch_database, work_folder

RUNNING = "state IN ('in_review', 'resubmitted')"
STATEMENTS = {
    "queue page by keyset (25 rows after a cursor)": (
        "SELECT a.id, u.full_name, r.full_name FROM applications a JOIN users u ON u.id = a.applicant_id "
        f"LEFT JOIN users r ON r.id = a.reviewer_id WHERE a.{RUNNING} AND (a.paid_at, a.id) > "
        "('{cursor_at}', {cursor_id}) ORDER BY a.paid_at, a.id LIMIT 26"
    ),
    "queue page by offset (the same rows, the old way)": (
        "SELECT a.id, u.full_name, r.full_name FROM applications a JOIN users u ON u.id = a.applicant_id "
        f"LEFT JOIN users r ON r.id = a.reviewer_id WHERE a.{RUNNING} ORDER BY a.paid_at, a.id "
        "OFFSET {middle} LIMIT 26"
    ),
    "queue count, default view": f"SELECT count(*) FROM applications WHERE {RUNNING}",
    "assigned-to-me and overdue counts": (
        "SELECT (SELECT count(*) FROM applications WHERE reviewer_id = {reviewer} AND "
        f"{RUNNING}), (SELECT count(*) FROM applications WHERE {RUNNING} AND review_due_at < now())"
    ),
    "one application by id": "SELECT * FROM applications WHERE id = {middle_id}",
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--applications", type=int, default=int(os.environ.get("BENCH_APPLICATIONS", "100000"))
    )
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--json")
    args = parser.parse_args()
    with (
        work_folder("scale") as folder,
        scratch_database("scale", folder, "postgresql") as url,
        embedded_broker(folder) as broker,
    ):
        os.environ.update(
            DATABASE_URL=url,
            INSTANCE_PATH=str(folder / "instance"),
            SECRET_KEY="bench",
            LOG_LEVEL="WARNING",
            BROKER_URL=broker,
        )
        from flask_migrate import upgrade

        from portal import create_app
        from portal.db import db
        from portal.demo import DEMO_PASSWORD, seed
        from portal.enums import Role
        from portal.models.applications import Application
        from portal.workflows.accounts import operations as accounts

        app = create_app()
        with app.app_context():
            upgrade()
            # A database given with BENCH_DATABASE_URL that holds demo data already is measured as it is.
            count = db.session.scalar(db.select(db.func.count()).select_from(Application))
            if not count:
                # A reviewer first, so that the demo data assigns part of the queue to them (as in bench_http).
                accounts.register(
                    "scale.reviewer@example.org", DEMO_PASSWORD, "Scale Reviewer", Role.REVIEWER
                )
                db.session.commit()
                seed(args.applications, documents=True)
                count = args.applications
            email_bytes = email_size()
            db.session.remove()
            with db.engine.connect() as connection:
                raw = connection.connection.driver_connection
                raw.autocommit = True
                sizes = table_sizes(raw)
                before = timings(raw)
                started = time.perf_counter()
                multiply(raw, args.factor)
                grew = time.perf_counter() - started
                after = timings(raw)
                sizes_after = table_sizes(raw)
    report = Report("Scale")
    report.table(
        f"Database size per application, PostgreSQL, {count:,} demo applications (tables with their indexes)",
        ["table", "rows", "rows per application", "MB", "bytes per application"],
        [
            [name, rows, rows / count, size / 1e6, round(size / count)]
            for name, (rows, size) in sorted(sizes.items(), key=lambda item: -item[1][1])[:10]
        ]
        + [
            [
                "all tables",
                "",
                "",
                sum(size for _, size in sizes.values()) / 1e6,
                round(sum(size for _, size in sizes.values()) / count),
            ]
        ],
    )
    report.table(
        "An email row's text: the referee request emails for 20 demo drafts, rendered and rolled back",
        ["emails", "mean bytes (text + HTML + subject + recipient)"],
        [[email_bytes[0], email_bytes[1]]],
    )
    report.table(
        f"The queue's statements at {count:,} and at {args.factor}x ({sizes_after['applications'][0]:,} "
        f"applications, copied in {grew:.0f}s): EXPLAIN ANALYZE execution time, best of five",
        ["statement", "ms at 1x", f"ms at {args.factor}x", "ratio"],
        [
            [name, before[name], after[name], f"{after[name] / max(before[name], 0.001):.1f}"]
            for name in before
        ],
    )
    report.save(args.json)


def email_size() -> tuple[int, int]:
    """(count, mean bytes) of the referee request emails the portal writes for 20 demo drafts; nothing kept."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from portal.db import db
    from portal.enums import ApplicationState
    from portal.models.applications import Application
    from portal.models.outbox import EmailMessage
    from portal.workflows.references.operations import request_references

    drafts = db.session.scalars(
        select(Application)
        .where(Application.state == ApplicationState.DRAFT)
        .options(selectinload(Application.engagements))
        .limit(20)
    ).all()
    for application in drafts:
        request_references(application, None)
    db.session.flush()
    sizes = [
        len(email.text_body.encode())
        + len(email.html_body.encode())
        + len(email.subject)
        + len(email.recipient)
        for email in db.session.scalars(select(EmailMessage))
    ]
    db.session.rollback()  # nothing committed: nothing sent
    return len(sizes), round(sum(sizes) / max(len(sizes), 1))


def table_sizes(raw) -> dict[str, tuple[int, int]]:
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) FROM pg_class c JOIN "
            "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
        return {name: (max(rows, 0), size) for name, rows, size in cursor.fetchall()}


def timings(raw) -> dict[str, float]:
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE applications")
        cursor.execute(f"SELECT count(*) FROM applications WHERE {RUNNING}")
        middle = cursor.fetchone()[0] // 2
        cursor.execute("SELECT reviewer_id FROM applications WHERE reviewer_id IS NOT NULL LIMIT 1")
        reviewer = (cursor.fetchone() or [0])[0]
        # The cursor of the row in the middle of the queue, as a page link carries it.
        cursor.execute(
            f"SELECT paid_at, id FROM applications WHERE {RUNNING} ORDER BY paid_at, id OFFSET %s LIMIT 1",
            (middle,),
        )
        cursor_at, cursor_id = cursor.fetchone()
        cursor.execute("SELECT max(id) / 2 FROM applications")
        middle_id = cursor.fetchone()[0]
        found = {}
        for name, template in STATEMENTS.items():
            sql = template.format(
                middle=middle,
                reviewer=reviewer,
                middle_id=middle_id,
                cursor_at=cursor_at.isoformat(),
                cursor_id=cursor_id,
            )
            best = float("inf")
            for _ in range(5):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                best = min(best, cursor.fetchone()[0][0]["Execution Time"])
            found[name] = round(best, 3)
        return found


def multiply(raw, factor: int) -> None:
    """``factor`` times the applications (and their training records), as copies with new ids."""
    with raw.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM applications")
        step = cursor.fetchone()[0]
        applications = ", ".join(_columns(cursor, "applications"))
        training = _columns(cursor, "training_records")
        for copy in range(1, factor):
            offset = copy * step
            cursor.execute(
                f"INSERT INTO applications (id, {applications}) SELECT id + {offset}, {applications} "
                f"FROM applications WHERE id <= {step}"
            )
            shifted = ", ".join(
                f"application_id + {offset}" if c == "application_id" else c for c in training
            )
            cursor.execute(
                f"INSERT INTO training_records ({', '.join(training)}) SELECT {shifted} FROM training_records "
                f"WHERE application_id <= {step}"
            )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('applications', 'id'), max(id)) FROM applications"
        )


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
        "ORDER BY ordinal_position",
        (table,),
    )
    return [name for (name,) in cursor.fetchall()]


if __name__ == "__main__":
    main()
