"""Study programs: assignment by org subtree, offline-safe progress, quizzes, reflections and reports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, LiteralString
from uuid import UUID

import asyncpg
import msgspec

from api.audit.service import record
from api.auth.principal import BRANCH_LEADERS, REGISTER_READERS, Principal, Role
from api.context import RequestContext
from api.db import Connection
from api.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from api.sql import queries_beside
from api.study import paging, scoring
from api.study.reports import build_report
from api.study.schemas import (
    Material,
    Progress,
    ProgressRequest,
    Quiz,
    QuizAttemptRequest,
    QuizResult,
    QuizSummary,
    Reflection,
    ReflectionFile,
    ReflectionRequest,
    ReviewRequest,
    StudyProgram,
    StudyProgramCreate,
    StudyProgramPage,
    StudyReport,
)

Q = queries_beside(__file__)
MANAGERS = frozenset({Role.OFFICER, Role.ADMIN})
"""Committees: create programs for units in their subtree and read their reports."""


class StudyScope(msgspec.Struct, frozen=True):
    """A program is visible when aimed at a unit at or above the caller's branch or one of the units they
    lead or manage (``ancestors``), or at a unit inside such a subtree (``readers``); it is assigned to
    the caller when aimed at or above their own branch (``own``)."""

    own: list[int]
    ancestors: list[int]
    readers: list[int]


class StudyService:
    def __init__(self, conn: Connection, ctx: RequestContext) -> None:
        self.conn = conn
        self.ctx = ctx
        self._scope: StudyScope | None = None

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    # Programs ------------------------------------------------------------------------------------

    async def create(self, data: StudyProgramCreate) -> StudyProgram:
        """Create a program for a unit in the caller's committee scope; materials must be readable there."""
        unit = await self.conn.fetchrow(Q["get_unit"], data.unit_id)
        if unit is None or not self.principal.covers(MANAGERS, unit["path"]):
            raise NotFound(f"No org unit {data.unit_id}.")
        await self._check_materials(data.materials, unit["path"])
        questions = scoring.build_questions(data.quiz) if data.quiz is not None else None
        program_id = await self.conn.fetchval(
            Q["insert_program"],
            unit["id"],
            data.title,
            data.description,
            data.due_at,
            data.reflection_required,
            data.reflection_prompt,
            self.principal.account_id,
        )
        await self.conn.execute(Q["insert_materials"], program_id, data.materials)
        if data.quiz is not None:
            await self.conn.execute(
                Q["insert_quiz"], program_id, data.quiz.pass_percent, data.quiz.max_attempts, questions
            )
        await record(self.conn, self.ctx, "study_program_created", target=f"study:{program_id}", unit_id=unit["id"])
        return await self.get(program_id)

    async def get(self, program_id: UUID) -> StudyProgram:
        row = await self._visible_program(program_id)
        return (await self._present([row]))[0]

    async def list_programs(self, after: str | None, limit: int) -> StudyProgramPage:
        """Programs assigned to the caller (with their progress) and those they lead or manage, latest due
        first, one page after the cursor ``after``."""
        position = paging.decode(after)
        scope = await self.scope()
        rows = await self.conn.fetch(
            Q["list_programs"], scope.ancestors, scope.readers, position.due, position.id, limit + 1
        )
        items = await self._present(rows[:limit])
        next_cursor = None
        if len(rows) > limit:
            next_cursor = paging.encode(paging.Position(due=items[-1].due_at, id=items[-1].id))
        return StudyProgramPage(items=items, next_cursor=next_cursor)

    # Progress ------------------------------------------------------------------------------------

    async def record_progress(self, program_id: UUID, data: ProgressRequest) -> Progress:
        """Store the events not seen before (by member and event id) and answer the progress they make."""
        program = await self._assigned_program(program_id)
        materials = {row["document_id"] for row in await self.conn.fetch(Q["program_materials"], [program_id])}
        errors = []
        for index, event in enumerate(data.events):
            if event.kind == "read" and event.document_id not in materials:
                errors.append(
                    FieldError(field=f"events[{index}].document_id", message="not a material of this program")
                )
            elif event.kind != "read" and event.document_id is not None:
                errors.append(FieldError(field=f"events[{index}].document_id", message="only read events name one"))
        if errors:
            raise InvalidInput("Sự kiện học tập không hợp lệ.", errors=errors)
        await self.conn.execute(
            Q["insert_events"],
            self.member_id,
            program_id,
            [event.event_id for event in data.events],
            [event.kind for event in data.events],
            [event.document_id for event in data.events],
            [event.occurred_at for event in data.events],
        )
        return (await self._progress([program]))[program_id]

    # Quizzes -------------------------------------------------------------------------------------

    async def quiz(self, program_id: UUID) -> Quiz:
        """The quiz without its answers, with the caller's attempts so far."""
        program = await self._visible_program(program_id)
        quiz = await self._quiz_row(program_id)
        used, best, passed = 0, None, False
        if await self._is_assigned(program):
            stats = await self._one(Q["attempt_stats"], self.member_id, program_id)
            used, best, passed = stats["used"], stats["best"], stats["passed"]
        return Quiz(
            program_id=program_id,
            pass_percent=quiz["pass_percent"],
            max_attempts=quiz["max_attempts"],
            attempts_used=used,
            attempts_left=max(0, quiz["max_attempts"] - used),
            best_score_percent=best,
            passed=passed,
            questions=scoring.public_questions(quiz["questions"]),
        )

    async def submit_attempt(self, program_id: UUID, data: QuizAttemptRequest) -> QuizResult:
        """Score and keep an attempt; the same attempt id again answers the stored result, past the limit 409."""
        await self._assigned_program(program_id)
        quiz = await self._quiz_row(program_id)
        await self.conn.execute(Q["lock_member_program"], self.member_id, program_id)
        stored = await self.conn.fetchrow(Q["get_attempt"], self.member_id, data.attempt_id)
        if stored is None:
            used = (await self._one(Q["attempt_stats"], self.member_id, program_id))["used"]
            if used >= quiz["max_attempts"]:
                raise Conflict(f"Bạn đã làm hết {quiz['max_attempts']} lần được phép.")
            correct, total = scoring.score(quiz["questions"], data.answers)
            score_percent = scoring.percent(correct, total)
            answers = [
                {"question_id": str(a.question_id), "option_ids": [str(o) for o in a.option_ids]} for a in data.answers
            ]
            await self.conn.execute(
                Q["insert_attempt"],
                self.member_id,
                data.attempt_id,
                program_id,
                answers,
                correct,
                total,
                score_percent,
                score_percent >= quiz["pass_percent"],
            )
            stored = await self._one(Q["get_attempt"], self.member_id, data.attempt_id)
        elif stored["program_id"] != program_id:
            raise Conflict("Mã bài làm này đã được dùng cho chương trình khác.")
        stats = await self._one(Q["attempt_stats"], self.member_id, program_id)
        return QuizResult(
            attempt_id=stored["attempt_id"],
            correct=stored["correct"],
            total=stored["total"],
            score_percent=stored["score_percent"],
            passed=stored["passed"],
            submitted_at=stored["submitted_at"],
            attempts_used=stats["used"],
            attempts_left=max(0, quiz["max_attempts"] - stats["used"]),
            best_score_percent=stats["best"],
        )

    # Reflections ---------------------------------------------------------------------------------

    async def submit_reflection(self, program_id: UUID, data: ReflectionRequest) -> Reflection:
        """A first reflection, or a new version after one was returned; a replayed id answers what it made."""
        program = await self._assigned_program(program_id)
        if not program["reflection_required"]:
            raise Conflict("Chương trình này không yêu cầu bài thu hoạch.")
        await self.conn.execute(Q["lock_member_program"], self.member_id, program_id)
        existing = await self.conn.fetchrow(Q["get_reflection"], data.reflection_id)
        if existing is not None:
            if existing["member_id"] != self.member_id or existing["program_id"] != program_id:
                raise Conflict("Mã bài thu hoạch này đã được dùng.")
            return reflection_from_row(existing)
        latest = await self.conn.fetchrow(Q["latest_reflection"], program_id, self.member_id)
        if latest is not None and latest["status"] != "returned":
            state = "đã được chấp nhận" if latest["status"] == "accepted" else "đang chờ chi bộ xem xét"
            raise Conflict(f"Bài thu hoạch của bạn {state}.")
        version = 1 if latest is None else latest["version"] + 1
        try:
            await self.conn.execute(
                Q["insert_reflection"], data.reflection_id, program_id, self.member_id, version, data.body
            )
        except asyncpg.UniqueViolationError:
            raise Conflict("Mã bài thu hoạch này đã được dùng.") from None
        return reflection_from_row(await self._one(Q["get_reflection"], data.reflection_id))

    async def list_reflections(self, program_id: UUID) -> list[Reflection]:
        """The latest reflection of each member in the branches the caller leads."""
        await self._visible_program(program_id)
        rows = await self.conn.fetch(Q["list_reflections"], program_id, self.principal.units_for(BRANCH_LEADERS))
        return sorted((reflection_from_row(row) for row in rows), key=lambda r: (r.member_name, str(r.member_id)))

    async def review(self, reflection_id: UUID, data: ReviewRequest) -> Reflection:
        """The branch secretary (or deputy) accepts a reflection or returns it with a comment."""
        row = await self.conn.fetchrow(Q["get_reflection"], reflection_id)
        if row is None or not self.principal.covers(BRANCH_LEADERS, row["branch_path"]):
            raise NotFound(f"No reflection {reflection_id}.")
        if data.decision == "return" and not data.comment.strip():
            raise InvalidInput(
                "Hãy ghi nhận xét khi trả lại bài.", errors=[FieldError(field="comment", message="required")]
            )
        status = "accepted" if data.decision == "accept" else "returned"
        updated = await self.conn.fetchval(
            Q["review_reflection"], reflection_id, status, data.comment, self.principal.account_id
        )
        if updated is None:
            raise Conflict("Bài thu hoạch này đã được xem xét.")
        await record(
            self.conn,
            self.ctx,
            "reflection_reviewed",
            target=f"reflection:{reflection_id}",
            unit_id=row["branch_id"],
            details={"decision": data.decision, "program_id": str(row["program_id"]), "version": row["version"]},
        )
        return reflection_from_row(await self._one(Q["get_reflection"], reflection_id))

    # Reports -------------------------------------------------------------------------------------

    async def report(self, program_id: UUID) -> StudyReport:
        """Counts per branch (and per commune when the caller's scope spans several) within the caller's scope;
        names only for the branches the caller leads."""
        program = await self._visible_program(program_id)
        return await build_report(self.conn, self.principal, program)

    # Scope ---------------------------------------------------------------------------------------

    async def scope(self) -> StudyScope:
        if self._scope is None:
            readers = self.principal.units_for(REGISTER_READERS)
            branch = self.principal.branch_id
            rows = await self.conn.fetch(Q["unit_paths"], [*readers, *([branch] if branch is not None else [])])
            paths = {row["id"]: list(row["path"]) for row in rows}
            ancestors = {unit for path in paths.values() for unit in path}
            own = paths.get(branch, []) if branch is not None else []
            self._scope = StudyScope(own=own, ancestors=sorted(ancestors), readers=readers)
        return self._scope

    async def _one(self, query: LiteralString, *args: object) -> asyncpg.Record:
        row = await self.conn.fetchrow(query, *args)
        assert row is not None  # noqa: S101 - the row was written or locked in this transaction
        return row

    @property
    def member_id(self) -> UUID:
        assert self.principal.member_id is not None  # noqa: S101 - checked by _assigned_program
        return self.principal.member_id

    async def _visible_program(self, program_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_program"], program_id)
        scope = await self.scope()
        if row is None or not (row["unit_id"] in scope.ancestors or set(row["unit_path"]) & set(scope.readers)):
            raise NotFound(f"No study program {program_id}.")
        return row

    async def _is_assigned(self, program: Any) -> bool:
        return self.principal.member_id is not None and program["unit_id"] in (await self.scope()).own

    async def _assigned_program(self, program_id: UUID) -> Any:
        program = await self._visible_program(program_id)
        if not await self._is_assigned(program):
            raise Forbidden("Chương trình này không giao cho bạn.")
        return program

    async def _quiz_row(self, program_id: UUID) -> Any:
        quiz = await self.conn.fetchrow(Q["get_quiz"], program_id)
        if quiz is None:
            raise NotFound(f"Study program {program_id} has no quiz.")
        return quiz

    async def _check_materials(self, materials: list[UUID], unit_path: list[int]) -> None:
        usable = {row["id"] for row in await self.conn.fetch(Q["usable_materials"], materials, unit_path)}
        errors = []
        for index, document_id in enumerate(materials):
            if document_id in materials[:index]:
                errors.append(FieldError(field=f"materials[{index}]", message="listed twice"))
            elif document_id not in usable:
                errors.append(FieldError(field=f"materials[{index}]", message="not a published document for this unit"))
        if errors:
            raise InvalidInput("Tài liệu học tập không hợp lệ.", errors=errors)

    async def _present(self, rows: list[Any]) -> list[StudyProgram]:
        ids = [row["id"] for row in rows]
        materials: dict[UUID, list[Material]] = {program_id: [] for program_id in ids}
        for row in await self.conn.fetch(Q["program_materials"], ids):
            materials[row["program_id"]].append(Material(row["document_id"], row["title"], row["position"]))
        assigned = [row for row in rows if await self._is_assigned(row)]
        progress = await self._progress(assigned, materials) if assigned else {}
        return [
            StudyProgram(
                id=row["id"],
                unit_id=row["unit_id"],
                unit_name=row["unit_name"],
                title=row["title"],
                description=row["description"],
                due_at=row["due_at"],
                materials=materials[row["id"]],
                quiz=None
                if row["pass_percent"] is None
                else QuizSummary(row["pass_percent"], row["max_attempts"], row["question_count"]),
                reflection_required=row["reflection_required"],
                reflection_prompt=row["reflection_prompt"],
                created_at=row["created_at"],
                can_manage=self.principal.covers(MANAGERS, row["unit_path"]),
                progress=progress.get(row["id"]),
            )
            for row in rows
        ]

    async def _progress(
        self, programs: list[Any], materials: dict[UUID, list[Material]] | None = None
    ) -> dict[UUID, Progress]:
        """The caller's progress in programs assigned to them, derived from distinct facts."""
        ids = [program["id"] for program in programs]
        if materials is None:
            materials = {program_id: [] for program_id in ids}
            for row in await self.conn.fetch(Q["program_materials"], ids):
                materials[row["program_id"]].append(Material(row["document_id"], row["title"], row["position"]))
        facts = {row["program_id"]: row for row in await self.conn.fetch(Q["member_progress"], ids, self.member_id)}
        now = datetime.now(UTC)
        result = {}
        for program in programs:
            fact = facts[program["id"]]
            total = len(materials[program["id"]])
            quiz_required = program["pass_percent"] is not None
            took_part = fact["opened"] or fact["attempts_used"] > 0 or fact["reflection_status"] is not None
            completed = (
                took_part
                and len(fact["materials_read"]) >= total
                and (not quiz_required or fact["quiz_passed"])
                and (not program["reflection_required"] or fact["reflection_status"] == "accepted")
            )
            result[program["id"]] = Progress(
                opened=fact["opened"],
                materials_read=list(fact["materials_read"]),
                materials_total=total,
                quiz_required=quiz_required,
                quiz_passed=fact["quiz_passed"],
                best_score_percent=fact["best_score_percent"],
                attempts_used=fact["attempts_used"],
                reflection_required=program["reflection_required"],
                reflection_status=fact["reflection_status"],
                completed=completed,
                overdue=not completed and now > program["due_at"],
            )
        return result


def reflection_from_row(row: Any) -> Reflection:
    return Reflection(
        id=row["id"],
        program_id=row["program_id"],
        member_id=row["member_id"],
        member_name=row["member_name"],
        version=row["version"],
        body=row["body"],
        status=row["status"],
        submitted_at=row["submitted_at"],
        reviewed_at=row["reviewed_at"],
        review_comment=row["review_comment"],
        file=None
        if row["file_sha256"] is None
        else ReflectionFile(name=row["file_name"], media_type=row["file_media_type"], size_bytes=row["file_size"]),
    )
