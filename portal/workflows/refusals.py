"""The one way an operation says no to a person: :class:`Refused`, with sentences they can read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class Refused(Exception):
    """What a person asked for cannot be done now.

    ``problems`` are whole sentences for the page; ``fields`` maps a form field's name to the problem with
    what was typed there, so a view can show it at that field and keep the rest of the form.
    """

    def __init__(self, problems: str | Iterable[str] = (), *, fields: Mapping[str, str] | None = None):
        self.fields = dict(fields or {})
        listed = [problems] if isinstance(problems, str) else list(problems)
        self.problems = listed or list(self.fields.values())
        super().__init__(" ".join(self.problems))
