"""Scoring and CSV without a database: exact set match, and spreadsheet-safe cells."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import msgspec
import pytest

from api.errors import InvalidInput
from api.study.reports import report_csv
from api.study.schemas import AnswerIn, QuizCreate, StudyReport, UnitProgress
from api.study.scoring import build_questions, percent, score

QUIZ = msgspec.convert(
    {
        "questions": [
            {"text": "Một", "kind": "single", "options": [{"text": "A", "correct": True}, {"text": "B"}]},
            {
                "text": "Nhiều",
                "kind": "multiple",
                "options": [{"text": "A", "correct": True}, {"text": "B", "correct": True}, {"text": "C"}],
            },
        ]
    },
    QuizCreate,
)


def _answer(question: dict[str, object], texts: set[str]) -> AnswerIn:
    options = question["options"]
    assert isinstance(options, list)
    return AnswerIn(
        question_id=uuid.UUID(str(question["id"])),
        option_ids=[uuid.UUID(o["id"]) for o in options if o["text"] in texts],
    )


@pytest.mark.parametrize(
    ("chosen", "correct"),
    [({"A"}, 0), ({"A", "B"}, 1), ({"A", "B", "C"}, 0), ({"C"}, 0), (set(), 0)],
)
def test_multiple_choice_needs_the_exact_set(chosen: set[str], correct: int) -> None:
    stored = build_questions(QUIZ)
    assert score(stored, [_answer(stored[1], chosen)]) == (correct, 2)


def test_a_right_single_answer_and_an_unanswered_question() -> None:
    stored = build_questions(QUIZ)
    assert score(stored, [_answer(stored[0], {"A"})]) == (1, 2)
    assert score(stored, [_answer(stored[0], {"A"}), _answer(stored[1], {"A", "B"})]) == (2, 2)
    assert percent(2, 3) == 66.7


def test_unknown_questions_are_named() -> None:
    stored = build_questions(QUIZ)
    with pytest.raises(InvalidInput) as raised:
        score(stored, [AnswerIn(question_id=uuid.uuid4(), option_ids=[])])
    assert raised.value.errors is not None
    assert [e.field for e in raised.value.errors] == ["answers[0].question_id"]


def test_csv_cells_cannot_become_formulas() -> None:
    unit = UnitProgress(
        unit_id=1,
        code="CB01",
        name='=HYPERLINK("http://evil")',
        assigned=3,
        completed=1,
        completion_percent=33.3,
        average_best_score=None,
        overdue=0,
        overdue_percent=0.0,
    )
    report = StudyReport(
        program_id=uuid.uuid4(),
        title="T",
        due_at=datetime.now(UTC),
        total=unit,
        communes=[],
        branches=[unit],
        members=[],
    )
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    assert rows[2][0] == "Chi bộ"
    assert rows[1][6] == ""
