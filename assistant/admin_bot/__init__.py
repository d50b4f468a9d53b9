"""The admin question bot: plain-language questions about the business, answered from the database.

``answer_question(db, settings, question)`` is the one entry point (``studiobook ask``, ``POST
/admin/api/ask``). The pipeline is code first: refuse what it must (changes, SQL, things not recorded),
route to a typed read-only query, run it in a read transaction, render a template that shows the
figures. The local LLM is optional: it breaks ties between two equally likely queries and may rephrase
an answer under a fact check; with no model everything still works.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Sequence

from sqlalchemy.exc import SQLAlchemyError

from models import Database
from models.repo.catalog import NoStudio, load_catalog
from studiobook.config import Settings

from . import refuse
from .answer import phrase as llm_phrase
from .answer import render
from .periods import Clock
from .queries import QueryContext, run_query
from .router import DESCRIPTIONS, Route, Tiebreak, route

__all__ = ["AnswerResult", "answer_question", "MAX_QUESTION_CHARS"]

log = logging.getLogger("studiobook.admin_bot")
MAX_QUESTION_CHARS = 500


@dataclass
class AnswerResult:
    """``answer`` (text for the owner) and ``data`` (the rows it is based on), plus how it was reached."""

    answer: str
    data: list[dict[str, Any]] = field(default_factory=list)
    query: Optional[str] = None
    refused: bool = False
    period: Optional[dict[str, Any]] = None
    llm_tiebreak: bool = False
    phrased: bool = False

    def json(self) -> dict[str, Any]:
        """The API body: CONTRACT.md's ``answer`` and ``data``, and (added) ``query`` and ``refused``."""
        return {"answer": self.answer, "data": self.data, "query": self.query, "refused": self.refused}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _LazyLLM:
    """Loads the configured model only the first time it is needed (most questions never need it)."""

    def __init__(self, settings: Settings, llm: Any) -> None:
        self._settings = settings
        self._llm = llm
        self._loaded = llm != "auto"

    def get(self) -> Any:
        if not self._loaded:
            from assistant.llm import get_llm

            self._llm = get_llm(self._settings.model or None)
            self._loaded = True
        return self._llm

    def tiebreak(self, question: str, labels: Sequence[str]) -> Optional[str]:
        model = self.get()
        if model is None:
            return None
        menu = "\n".join(f"- {label}: {DESCRIPTIONS.get(label, label)}" for label in labels)
        choice = model.choose("A photographer asks about their business. Pick the query that answers the "
                              f"question.\n{menu}", question, list(labels), timeout=3.0)
        return choice.label if choice else None


def answer_question(db: Database, settings: Settings, question: str, *, llm: Any = "auto",
                    phrase: bool = False) -> AnswerResult:
    """Answer one question, read-only.

    ``llm``: "auto" loads ``settings.model`` lazily when routing needs a tie broken; None disables the
    model entirely; or pass a ``LocalLLM``. ``phrase``: let the model reword the answer (fact-checked).
    """
    if not isinstance(question, str) or not question.strip():
        return AnswerResult(refuse.unanswerable("The question is empty"), refused=True)
    if len(question) > MAX_QUESTION_CHARS:
        return AnswerResult(f"The question is too long ({len(question)} characters; at most {MAX_QUESTION_CHARS}). "
                            "Please ask it in a sentence or two.", refused=True)
    model = _LazyLLM(settings, llm)
    tiebreak: Optional[Tiebreak] = model.tiebreak if llm is not None else None
    with db.read() as session:
        try:
            catalog = load_catalog(session)
        except NoStudio as exc:
            return AnswerResult(str(exc), refused=True)
        clock = Clock(settings.current_time(), catalog.tz)
        decided: Route = route(session, question, clock, tiebreak=tiebreak)
        if decided.intent is None:
            return AnswerResult(decided.refusal or refuse.unanswerable(), refused=True)
        try:
            result = run_query(QueryContext(session, catalog, clock), decided)
        except (SQLAlchemyError, LookupError, ValueError) as exc:  # a bug or a broken database: say so, read-only
            log.exception("admin bot query %s failed", decided.intent)
            return AnswerResult(f"I couldn't read the records to answer that ({type(exc).__name__}); nothing was "
                                "changed. Please try again or ask in other words.", query=decided.intent, refused=True)
        currency = catalog.studio.currency or "USD"
        session.rollback()  # read-only by construction; end the read transaction explicitly
    text = render(result, currency)
    answer = AnswerResult(text, result.rows, query=decided.intent, refused=False,
                          period=result.period.json(catalog.tz) if result.period else None,
                          llm_tiebreak=decided.llm_used)
    if result.problem:
        answer.refused = not result.rows
    if phrase and not result.problem and llm is not None:
        model_obj = model.get()
        phrased = llm_phrase(model_obj, question, text, result.rows) if model_obj is not None else None
        if phrased:
            answer.answer, answer.phrased = phrased, True
    return answer
