"""The module a Dramatiq worker process loads: ``dramatiq portal.tasks.worker``.

Creating the app builds the broker from ``BROKER_URL`` and declares every actor on it.
"""

from portal import create_app

app = create_app()
