"""Operations on an application: start it, save each section, manage records, submit it.

Each operation takes plain data from a form, checks the application may be changed, and flushes.
The caller commits once.
"""

from __future__ import annotations

from portal.workflows.refusals import Refused


class NotEditable(Refused):
    """The section cannot be changed in the application's current state."""


class UnknownCredential(Refused):
    pass
