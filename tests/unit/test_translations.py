"""The catalogues: every string marked in the code and templates is translated in every language the portal
offers, none fuzzy, and every translation keeps its placeholders (a missing ``%(name)s`` would crash the page
or lose the fact it carries)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from portal.config import PROJECT_ROOT
from portal.i18n import LANGUAGES

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
TRANSLATED = [code for code in LANGUAGES if code != "en"]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _scanned(path: str) -> bool:
    """Folders `make messages` reads: all but hidden ones and caches (Babel's default also skips "_" folders,
    which would leave out templates/_macros)."""
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def _marked() -> set[str]:
    with (PROJECT_ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT),
        method_map,
        options_map,
        keywords={**KEYWORDS, "lazy_ngettext": (1, 2)},
        directory_filter=_scanned,
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def marked() -> set[str]:
    return _marked()


def _catalogue(code: str):
    path = PROJECT_ROOT / "portal" / "translations" / code / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as handle:
        return read_po(handle, locale=code)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_string_is_translated_and_none_is_fuzzy(code, marked):
    catalogue = _catalogue(code)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and "fuzzy" not in m.flags and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(marked - translated)
    assert not missing, f"{len(missing)} untranslated in {code} (run `make messages`): {missing[:20]}"
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy: it would not be compiled"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_translation_keeps_its_placeholders(code):
    for message in _catalogue(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(_PLACEHOLDER.findall(string)) <= wanted | set(_PLACEHOLDER.findall(ids[0])), message.id
            assert set(_PLACEHOLDER.findall(ids[0])) - {"num"} <= set(_PLACEHOLDER.findall(string)), (
                message.id
            )
