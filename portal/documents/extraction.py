"""What reading one document yields — read, with its facts, or left for a person with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .active_content import active_content
from .facts import CertificateFacts, find_facts
from .layout import blocks_text
from .letters import LetterFacts, find_letter_facts
from .limits import Limits
from .reading import Unreadable, read_blocks
from .sniff import RejectedFile, sniff

READ = "read"
MANUAL = "manual"


@dataclass
class Extraction:
    """The outcome of one document: ``status`` is ``"read"`` or ``"manual"`` (a person must look)."""

    status: str
    reason: str | None = None
    kind: str | None = None
    facts: CertificateFacts = field(default_factory=CertificateFacts)
    text: str = ""
    letter: LetterFacts = field(default_factory=LetterFacts)

    @classmethod
    def manual(cls, reason: str, kind: str | None = None) -> Extraction:
        return cls(MANUAL, reason, kind)

    @property
    def fields(self) -> dict[str, Any]:
        """The certificate fields, dates as YYYY-MM-DD and hours as a number; ``None`` when not found.

        A document that reads as a referee's letter (it names a mentor or a mentee) adds the letter's
        fields: mentor, mentee, the mentee's e-mail and the signer, with the period it states.
        """
        values = self.facts.fields()
        if self.letter.is_reference:
            for name, value in self.letter.fields().items():
                if value is not None or name not in values:
                    values[name] = value
        return values

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status, "reason": self.reason, "kind": self.kind}
        data.update(self.facts.to_dict())
        if self.letter.is_reference:
            data["fields"] = self.fields
            data["evidence"] = {**self.letter.evidence, **data["evidence"]}
        data["warnings"] = self.facts.warnings
        if include_text:
            data["text"] = self.text
        return data


def extract_in_this_process(path: str | Path, limits: Limits) -> Extraction:
    """Sniff, read and find facts here and now, with no protection against a hostile file.

    Only the sandbox's child processes call this; everyone else calls ``pipeline.extract``.
    """
    try:
        kind = sniff(path)
    except RejectedFile as error:
        return Extraction.manual(str(error))
    except OSError:
        return Extraction.manual("the file cannot be opened")
    try:
        blocks = read_blocks(path, kind, limits)
    except Unreadable as error:
        return Extraction.manual(error.reason, kind)
    text = blocks_text(blocks)[: limits.max_text_chars]
    facts, letter = find_facts(text, blocks), find_letter_facts(text, blocks)
    acting = active_content(path, kind)
    if acting:
        # Read, so the reviewer sees its facts; left to a person, who opens it knowing what it carries.
        reason = f"it carries active content ({', '.join(acting)}): open it with care and check it by hand"
        return Extraction(MANUAL, reason, kind, facts, text, letter)
    return Extraction(READ, None, kind, facts, text, letter)
