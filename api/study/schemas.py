"""Study programs, progress, quizzes, reflections and reports as the API shows and takes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from api.schemas import Input

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
UnitId = Annotated[int, msgspec.Meta(ge=1, le=2**62)]
Aware = Annotated[datetime, msgspec.Meta(tz=True)]
QuestionKind = Literal["single", "multiple"]
EventKind = Literal["opened", "read", "completed"]
ReflectionStatus = Literal["submitted", "accepted", "returned"]

MAX_QUESTIONS = 100
MAX_OPTIONS = 10
MAX_MATERIALS = 50
MAX_EVENTS = 200
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)
"""Times outside these are mistakes, and near year 1 or 9999 they cannot even be moved to UTC."""


def _check_time(name: str, value: datetime | None) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValueError(f"{name}: must lie between {EARLIEST.year} and {LATEST.year}")


# Requests --------------------------------------------------------------------------------------------


class OptionCreate(Input, frozen=True, kw_only=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    correct: bool = False


class QuestionCreate(Input, frozen=True, kw_only=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    kind: QuestionKind = "single"
    options: Annotated[list[OptionCreate], msgspec.Meta(min_length=2, max_length=MAX_OPTIONS)]


class QuizCreate(Input, frozen=True, kw_only=True):
    pass_percent: Annotated[int, msgspec.Meta(ge=0, le=100)] = 80
    max_attempts: Annotated[int, msgspec.Meta(ge=1, le=100)] = 3
    questions: Annotated[list[QuestionCreate], msgspec.Meta(min_length=1, max_length=MAX_QUESTIONS)]


class StudyProgramCreate(Input, frozen=True, kw_only=True):
    unit_id: UnitId
    """The target unit: every member whose branch lies in its subtree is assigned."""
    title: Title
    description: Annotated[str, msgspec.Meta(max_length=20_000)] = ""
    due_at: Aware
    materials: Annotated[list[UUID], msgspec.Meta(max_length=MAX_MATERIALS)] = []
    """Published documents whose audience is at or above the target unit, in reading order."""
    quiz: QuizCreate | None = None
    reflection_required: bool = False
    reflection_prompt: Annotated[str, msgspec.Meta(max_length=5000)] = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_time("due_at", self.due_at)


class ProgressEventIn(Input, frozen=True, kw_only=True):
    event_id: UUID
    """Made by the client once per event: a replay of it changes nothing."""
    kind: EventKind
    document_id: UUID | None = None
    """The material read (``read`` events only)."""
    occurred_at: Aware | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_time("occurred_at", self.occurred_at)


class ProgressRequest(Input, frozen=True, kw_only=True):
    events: Annotated[list[ProgressEventIn], msgspec.Meta(min_length=1, max_length=MAX_EVENTS)]


class AnswerIn(Input, frozen=True, kw_only=True):
    question_id: UUID
    option_ids: Annotated[list[UUID], msgspec.Meta(max_length=MAX_OPTIONS)]


class QuizAttemptRequest(Input, frozen=True, kw_only=True):
    attempt_id: UUID
    """Made by the client once per attempt: submitting it again returns the stored result."""
    answers: Annotated[list[AnswerIn], msgspec.Meta(max_length=MAX_QUESTIONS)]


class ReflectionRequest(Input, frozen=True, kw_only=True):
    reflection_id: UUID
    """Made by the client once per version: submitting it again returns the stored version."""
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]


class ReviewRequest(Input, frozen=True, kw_only=True):
    decision: Literal["accept", "return"]
    comment: Annotated[str, msgspec.Meta(max_length=5000)] = ""


# Responses -------------------------------------------------------------------------------------------


class Material(msgspec.Struct, frozen=True):
    document_id: UUID
    title: str
    position: int


class QuizSummary(msgspec.Struct, frozen=True):
    pass_percent: int
    max_attempts: int
    question_count: int


class Progress(msgspec.Struct, frozen=True, kw_only=True):
    """The caller's own progress, derived from distinct facts (never from counts of requests)."""

    opened: bool
    materials_read: list[UUID]
    materials_total: int
    quiz_required: bool
    quiz_passed: bool
    best_score_percent: float | None
    attempts_used: int
    reflection_required: bool
    reflection_status: ReflectionStatus | None
    completed: bool
    overdue: bool


class StudyProgram(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    unit_id: int
    unit_name: str
    title: str
    description: str
    due_at: datetime
    materials: list[Material]
    quiz: QuizSummary | None
    reflection_required: bool
    reflection_prompt: str
    created_at: datetime
    can_manage: bool
    """The caller is an officer or admin over the target unit (sees reports)."""
    progress: Progress | None
    """The caller's own progress, when the program is assigned to them."""


class StudyProgramPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[StudyProgram]
    next_cursor: str | None
    """Pass as ``after`` for the next page; null on the last."""


class QuizOption(msgspec.Struct, frozen=True):
    id: UUID
    text: str


class QuizQuestion(msgspec.Struct, frozen=True):
    id: UUID
    kind: QuestionKind
    text: str
    options: list[QuizOption]


class Quiz(msgspec.Struct, frozen=True, kw_only=True):
    """The quiz as members take it: without the correct answers."""

    program_id: UUID
    pass_percent: int
    max_attempts: int
    attempts_used: int
    attempts_left: int
    best_score_percent: float | None
    passed: bool
    questions: list[QuizQuestion]


class QuizResult(msgspec.Struct, frozen=True, kw_only=True):
    attempt_id: UUID
    correct: int
    total: int
    score_percent: float
    passed: bool
    submitted_at: datetime
    attempts_used: int
    attempts_left: int
    best_score_percent: float


class ReflectionFile(msgspec.Struct, frozen=True, kw_only=True):
    """The file sent with a reflection (download it with GetReflectionFile)."""

    name: str
    media_type: str
    size_bytes: int


class Reflection(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    program_id: UUID
    member_id: UUID
    member_name: str
    version: int
    body: str
    status: ReflectionStatus
    submitted_at: datetime
    reviewed_at: datetime | None
    review_comment: str
    file: ReflectionFile | None = None


class UnitProgress(msgspec.Struct, frozen=True, kw_only=True):
    unit_id: int | None
    """None on the total row."""
    code: str
    name: str
    assigned: int
    completed: int
    completion_percent: float
    average_best_score: float | None
    overdue: int
    overdue_percent: float


class MemberProgressRow(msgspec.Struct, frozen=True, kw_only=True):
    """Names appear only for a secretary, and only within their own branch."""

    member_id: UUID
    full_name: str
    branch_id: int
    completed: bool
    best_score_percent: float | None
    reflection_status: ReflectionStatus | None
    overdue: bool


class StudyReport(msgspec.Struct, frozen=True, kw_only=True):
    program_id: UUID
    title: str
    due_at: datetime
    total: UnitProgress
    """Everyone assigned within the caller's scope."""
    communes: list[UnitProgress]
    """Per commune, for callers whose scope spans more than one commune."""
    branches: list[UnitProgress]
    members: list[MemberProgressRow]
