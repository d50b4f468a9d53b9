"""Fixtures for the admin question bot: ask the demo studio (clock frozen at 2026-11-24 09:00 Denver)."""
from __future__ import annotations

import hashlib
from typing import Callable

import pytest

from assistant.admin_bot import AnswerResult, answer_question
from models import Base, Database
from studiobook.config import Settings


@pytest.fixture
def ask(db: Database, settings: Settings) -> Callable[[str], AnswerResult]:
    """Ask the demo studio a question with the model disabled (routing is code; no model needed)."""
    return lambda question: answer_question(db, settings, question, llm=None)


def checksum(db: Database) -> str:
    """sha256 over every row of every table, to prove a refused request changed nothing."""
    from sqlalchemy import text

    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in sorted(Base.metadata.tables):
            for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
