"""Command-line entry points: ``flask --app wsgi setup | run-all | scheduler | users | credentials | documents``."""

from __future__ import annotations

import os
import secrets

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from portal.db import db
from portal.demo import DEMO_PASSWORD, seed
from portal.documents.cli import documents
from portal.enums import Role
from portal.launcher import Launcher
from portal.tasks.scheduler import run_forever
from portal.workflows.accounts import operations as account_ops
from portal.workflows.accounts import queries as account_queries
from portal.workflows.accounts import rules as account_rules
from portal.workflows.credentials import keys as credential_keys
from portal.workflows.credentials import queries as credential_queries


def register_cli(app: Flask) -> None:
    app.cli.add_command(setup_command)
    app.cli.add_command(run_all_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(users_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(credentials_group)

    app.cli.add_command(documents)


def prepare() -> None:
    """Apply migrations, check the catalogue, and create the demo staff accounts on first run."""

    upgrade()
    catalogue = current_app.extensions["catalogue"]
    click.echo(f"Catalogue {catalogue.source.name}: " + ", ".join(c.label for c in catalogue.ordered()))
    _ensure_demo_staff()


def _ensure_demo_staff() -> None:

    created = []
    for role, email, name in (
        (Role.ADMIN, "admin@example.org", "Demo Administrator"),
        (Role.REVIEWER, "reviewer@example.org", "Demo Reviewer"),
    ):
        if account_queries.find_user(email) is None:
            password = secrets.token_urlsafe(12)
            user = account_ops.register(email, password, name, role=role)
            secret, _codes = account_ops.set_up_two_factor(user)
            created.append((role.value, email, password, account_rules.totp_uri(secret, email)))
    db.session.commit()
    if created:
        click.echo("Demo accounts created (shown this once; reset by email if lost):")
        for role, email, password, uri in created:
            click.echo(f"  {role:<9} {email:<24} password: {password}")
            click.echo(f"  {'':<9} {'':<24} two-factor: {uri}")
        click.echo(
            "Add each two-factor URI to an authenticator app; `flask users reset-2fa EMAIL` re-enrols."
        )


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Apply migrations and load the demo staff accounts."""
    prepare()


@click.command("run-all")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--worker-threads", default=4, show_default=True, type=int)
@click.option("--worker-processes", default=1, show_default=True, type=int)
@click.option("--server", type=click.Choice(["waitress", "gunicorn"]), default="waitress", show_default=True)
@click.option("--web-workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@with_appcontext
def run_all_command(
    host: str, port: int, worker_threads: int, worker_processes: int, server: str, web_workers: int
) -> None:
    """Serve the portal with its worker and scheduler (and the embedded Redis unless BROKER_URL is set)."""

    prepare()
    if not os.environ.get("BASE_URL"):
        # Links in emails point where this portal answers; the children inherit the environment.
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        os.environ["BASE_URL"] = f"http://{shown}:{port}"
    Launcher(
        current_app.config,
        host=host,
        port=port,
        worker_threads=worker_threads,
        server=server,
        web_workers=web_workers,
        worker_processes=worker_processes,
    ).run()


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the periodic jobs (outbox sweep, reminders, expiry) until stopped."""

    run_forever(current_app._get_current_object())


@click.group("users")
def users_group() -> None:
    """Manage staff accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.REVIEWER.value)
@click.password_option()
@with_appcontext
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create an account with the given role."""

    try:
        account_ops.register(email, password, name, role=Role(role))
    except account_rules.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {role} {email}")


@users_group.command("reset-2fa")
@click.argument("email")
@with_appcontext
def reset_two_factor(email: str) -> None:
    """Turn off two-factor sign-in for a lost device: staff set it up again when they next sign in."""

    user = account_queries.find_user(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}")
    account_ops.reset_two_factor(user)
    db.session.commit()
    click.echo(f"Two-factor sign-in reset for {user.email}; it is set up again at the next sign-in.")


@click.group("credentials")
def credentials_group() -> None:
    """The keys that sign verifiable credentials."""


@credentials_group.command("rotate-key")
@with_appcontext
def rotate_key() -> None:
    """Add a new signing key; it signs from now on, and the older keys stay in the DID document so that
    credentials they signed still verify."""

    made = credential_keys.add_key()
    published = len(credential_queries.issuer_did_document()["verificationMethod"])
    click.echo(f"New signing key {credential_queries.issuer_did()}#{made.kid}; {published} keys published.")


@click.group("demo")
def demo_group() -> None:
    """Demo data for demonstrations and benchmarks."""


@demo_group.command("seed")
@click.option("--applications", default=200, show_default=True, type=int)
@click.option("--seed", "seed_value", default=1, show_default=True, type=int, help="random seed")
@with_appcontext
def demo_seed(applications: int, seed_value: int) -> None:
    """Load realistic applications, each with its applicant and what its state implies: certificates,
    references, payment, credential. Bulk inserts (COPY on PostgreSQL): 100,000 take about a minute."""

    made = seed(applications, seed_value)
    click.echo(f"Added {made} applications; demo applicants sign in as demoN@example.org / {DEMO_PASSWORD}")
