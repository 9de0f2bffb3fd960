"""Quizzes as stored (with ids and correct answers) and the scoring of one attempt."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from api.errors import FieldError, InvalidInput
from api.study.schemas import AnswerIn, QuizCreate, QuizOption, QuizQuestion


def build_questions(quiz: QuizCreate) -> list[dict[str, Any]]:
    """The stored form of a new quiz: server-made ids; a single-choice question has exactly one right
    option, a multiple-choice question at least one."""
    errors = []
    stored = []
    for index, question in enumerate(quiz.questions):
        right = sum(option.correct for option in question.options)
        if (question.kind == "single" and right != 1) or right < 1:
            wanted = "exactly one" if question.kind == "single" else "at least one"
            errors.append(
                FieldError(field=f"quiz.questions[{index}].options", message=f"needs {wanted} correct option")
            )
        stored.append(
            {
                "id": str(uuid.uuid4()),
                "kind": question.kind,
                "text": question.text,
                "options": [
                    {"id": str(uuid.uuid4()), "text": option.text, "correct": option.correct}
                    for option in question.options
                ],
            }
        )
    if errors:
        raise InvalidInput("Câu hỏi trắc nghiệm chưa có đáp án đúng hợp lệ.", errors=errors)
    return stored


def public_questions(stored: list[dict[str, Any]]) -> list[QuizQuestion]:
    """The quiz as members see it: no correct flags."""
    return [
        QuizQuestion(
            id=UUID(question["id"]),
            kind=question["kind"],
            text=question["text"],
            options=[QuizOption(id=UUID(option["id"]), text=option["text"]) for option in question["options"]],
        )
        for question in stored
    ]


def score(stored: list[dict[str, Any]], answers: list[AnswerIn]) -> tuple[int, int]:
    """(correct, total): a question is right when the chosen set equals the correct set exactly.

    Unanswered questions count as wrong. An unknown question or option, or a question answered twice,
    is refused with the offending field named.
    """
    questions = {UUID(question["id"]): question for question in stored}
    errors = []
    chosen: dict[UUID, set[UUID]] = {}
    for index, answer in enumerate(answers):
        question = questions.get(answer.question_id)
        if question is None:
            errors.append(FieldError(field=f"answers[{index}].question_id", message="unknown question"))
            continue
        if answer.question_id in chosen:
            errors.append(FieldError(field=f"answers[{index}].question_id", message="question answered twice"))
            continue
        options = {UUID(option["id"]) for option in question["options"]}
        if not set(answer.option_ids) <= options:
            errors.append(FieldError(field=f"answers[{index}].option_ids", message="unknown option"))
            continue
        if question["kind"] == "single" and len(answer.option_ids) > 1:
            errors.append(FieldError(field=f"answers[{index}].option_ids", message="single choice: one option"))
            continue
        chosen[answer.question_id] = set(answer.option_ids)
    if errors:
        raise InvalidInput("Bài làm có câu trả lời không hợp lệ.", errors=errors)
    correct = 0
    for question_id, question in questions.items():
        right = {UUID(option["id"]) for option in question["options"] if option["correct"]}
        correct += chosen.get(question_id) == right
    return correct, len(questions)


def percent(part: int, whole: int) -> float:
    return 0.0 if whole == 0 else round(100.0 * part / whole, 1)
