"""One pool of reader processes shared by every document test, so children start once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.documents.sandbox import ExtractionPool

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def reader_pool():
    with ExtractionPool(size=2) as pool:
        yield pool


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    corpus = REPO_ROOT.parent / "shared" / "corpus" / "py-pdf-sample-files"
    if not corpus.is_dir():
        pytest.skip("the shared PDF corpus is not next to the repository")
    return corpus
