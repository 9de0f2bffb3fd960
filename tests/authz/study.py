"""Matrix rows: study programs, progress, quizzes, reflections and reports.

"In" programs target the demo commune, "out" ones another commune. Doing the work of a program
(progress, quiz, reflection) is for the members it is assigned to: staff who may see it but are not
assigned get 403; everyone else 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import httpx

from tests.authz.world import Request, World, get, unit

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "CreateStudyProgram": {"in": (401, 403, 403, 201, 403, 201, 201), "out": (401, 403, 403, 404, 403, 404, 201)},
    "ListStudyPrograms": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "GetStudyProgram": {"in": (401, 200, 200, 200, 404, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "RecordStudyProgress": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "GetStudyQuiz": {"in": (401, 200, 200, 200, 404, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "SubmitQuizAttempt": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "SubmitReflection": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "ListReflections": {"in": (401, 403, 200, 403, 403, 403, 403), "out": (401, 403, 404, 403, 403, 403, 403)},
    # A reflection's file: only its author sends it; the author and the leaders of the author's branch read it.
    "UploadReflectionFile": {"in": (401, 200, 404, 404, 404, 404, 404), "out": (401, 404, 404, 404, 404, 404, 404)},
    "GetReflectionFile": {"in": (401, 200, 200, 404, 404, 404, 404), "out": (401, 404, 404, 404, 404, 404, 404)},
    "ReviewReflection": {"in": (401, 403, 200, 403, 403, 403, 403), "out": (401, 403, 404, 403, 403, 403, 403)},
    "GetStudyReport": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
}


def _program_body(world: World, scope: str) -> dict[str, Any]:
    quiz = {
        "max_attempts": 20,
        "questions": [{"text": "?", "options": [{"text": "A", "correct": True}, {"text": "B"}]}],
    }
    return {
        "unit_id": unit(world, scope)["path"][-2],
        "title": "Học tập nghị quyết",
        "due_at": "2030-01-01T00:00:00Z",
        "materials": [world.documents[scope]["id"]],
        "quiz": quiz,
        "reflection_required": True,
    }


async def _program(world: World, scope: str) -> dict[str, Any]:
    if scope not in world.programs:
        admin = {"Authorization": f"Bearer {world.tokens['province_admin']}"}
        created = await world.client.post("/api/v1/study/programs", headers=admin, json=_program_body(world, scope))
        assert created.status_code == 201, created.text
        world.programs[scope] = dict(created.json())
    return world.programs[scope]


def _on_program(
    suffix: str, body: Callable[[World, str], Awaitable[Any]] | None = None, method: str = "GET"
) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        url = f"/api/v1/study/programs/{(await _program(world, scope))['id']}{suffix}"
        if method == "GET":
            return await world.client.get(url, headers=world.auth(role))
        payload = await body(world, scope) if body is not None else None
        return await world.client.post(url, headers=world.auth(role), json=payload)

    return request


async def _create_program(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post("/api/v1/study/programs", headers=world.auth(role), json=_program_body(world, scope))


async def _progress_body(world: World, scope: str) -> Any:
    return {"events": [{"event_id": str(uuid4()), "kind": "read", "document_id": world.documents[scope]["id"]}]}


async def _attempt_body(world: World, scope: str) -> Any:
    return {"attempt_id": str(uuid4()), "answers": []}


async def _reflection_body(world: World, scope: str) -> Any:
    return {"reflection_id": str(uuid4()), "body": "Bài thu hoạch."}


async def _review(world: World, role: str, scope: str) -> httpx.Response:
    # A fresh submitted reflection each time, straight into the table (one per role would be refused
    # by the API while the previous one waits for review).
    program = await _program(world, scope)
    reflection_id = await world.sql(
        "insert into reflections (id, program_id, member_id, version, body) select $1, $2, $3, "
        "coalesce(max(version), 0) + 1, 'Bài thu hoạch.' from reflections where program_id = $2 and member_id = $3 "
        "returning id",
        uuid4(),
        UUID(program["id"]),
        world.member_in if scope == "in" else world.member_out,
    )
    return await world.client.post(
        f"/api/v1/study/reflections/{reflection_id}/review", headers=world.auth(role), json={"decision": "accept"}
    )


SCAN = b"%PDF-1.4\n%%EOF\n"


async def _waiting_reflection(world: World, scope: str, *, with_file: bool = False) -> UUID:
    """A fresh reflection waiting for review, by the demo member ("in") or a member of another commune."""
    program = await _program(world, scope)
    digest = await world.client.app.state.blobs.put(SCAN) if with_file else None
    reflection_id: UUID = await world.sql(
        "insert into reflections (id, program_id, member_id, version, body, file_sha256, file_media_type, "
        "file_size, file_name) select $1, $2, $3, coalesce(max(version), 0) + 1, 'Bài.', $4, "
        "case when $4::bytea is null then null else 'application/pdf' end, "
        "case when $4::bytea is null then null else $5::bigint end, "
        "case when $4::bytea is null then null else 'scan.pdf' end "
        "from reflections where program_id = $2 and member_id = $3 returning id",
        uuid4(),
        UUID(program["id"]),
        world.member_in if scope == "in" else world.member_out,
        digest,
        len(SCAN),
    )
    return reflection_id


async def _upload_file(world: World, role: str, scope: str) -> httpx.Response:
    reflection_id = await _waiting_reflection(world, scope)
    return await world.client.put(
        f"/api/v1/study/reflections/{reflection_id}/file",
        params={"file_name": "scan.pdf"},
        content=SCAN,
        headers={**world.auth(role), "Content-Type": "application/pdf"},
    )


async def _get_file(world: World, role: str, scope: str) -> httpx.Response:
    reflection_id = await _waiting_reflection(world, scope, with_file=True)
    return await world.client.get(f"/api/v1/study/reflections/{reflection_id}/file", headers=world.auth(role))


REQUESTS: dict[str, Request] = {
    "CreateStudyProgram": _create_program,
    "ListStudyPrograms": get(lambda w, s: "/api/v1/study/programs"),
    "GetStudyProgram": _on_program(""),
    "RecordStudyProgress": _on_program("/progress", _progress_body, "POST"),
    "GetStudyQuiz": _on_program("/quiz"),
    "SubmitQuizAttempt": _on_program("/quiz/attempts", _attempt_body, "POST"),
    "SubmitReflection": _on_program("/reflections", _reflection_body, "POST"),
    "ListReflections": _on_program("/reflections"),
    "ReviewReflection": _review,
    "UploadReflectionFile": _upload_file,
    "GetReflectionFile": _get_file,
    "GetStudyReport": _on_program("/report"),
}
