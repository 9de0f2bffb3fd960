"""Study input that must be refused with a 400 problem naming the field, and two devices at once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.helpers import bearer
from tests.study.test_programs import _create, _demo_units, _materials, _quiz, _scalar

PROBLEM = "application/problem+json"


def _program_body(unit: int, **extra: Any) -> dict[str, Any]:
    return {"unit_id": unit, "title": "Chuyên đề", "due_at": "2030-01-01T00:00:00Z", **extra}


def _question(options: int, correct: int = 1, kind: str = "single") -> dict[str, Any]:
    return {
        "text": "Câu hỏi?",
        "kind": kind,
        "options": [{"text": f"Phương án {i}", "correct": i < correct} for i in range(options)],
    }


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"quiz": {"questions": [_question(11)]}}, "quiz.questions[0].options"),
        ({"quiz": {"questions": [_question(1)]}}, "quiz.questions[0].options"),
        ({"quiz": {"questions": [_question(3, correct=2)]}}, "quiz.questions[0].options"),
        ({"quiz": {"questions": [_question(3, correct=0, kind="multiple")]}}, "quiz.questions[0].options"),
        ({"quiz": {"questions": [_question(2)] * 101}}, "quiz.questions"),
        ({"quiz": {"questions": []}}, "quiz.questions"),
        ({"quiz": {"questions": [_question(2)], "pass_percent": 101}}, "quiz.pass_percent"),
        ({"due_at": "2030-01-01T00:00:00"}, "due_at"),
        ({"due_at": "0001-01-01T00:00:00+01:00"}, "body"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"description": "a\x00b"}, "body"),
        ({"materials": [str(uuid.uuid4())]}, "materials[0]"),
        ({"materials": "not-a-list"}, "materials"),
        ({"unit_id": 0}, "unit_id"),
        ({"surprise": True}, "body"),
    ],
)
async def test_bad_programs(client: AsyncTestClient[Any], extra: dict[str, Any], field: str) -> None:
    admin = await bearer(client, "demo.admin")
    _, commune_id = await _demo_units(client, admin)
    response = await client.post("/api/v1/study/programs", headers=admin, json=_program_body(commune_id, **extra))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    fields = [error["field"] for error in response.json().get("errors") or [{"field": "body"}]]
    assert any(f.startswith(field) or field == "body" for f in fields), fields


async def test_a_draft_or_narrower_document_is_not_a_material(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    branch_id, commune_id = await _demo_units(client, admin)
    draft = await client.post(
        "/api/v1/documents",
        headers=admin,
        json={"slug": "ban-nhap", "kind": "guide", "title": "Nháp", "audience_unit_id": commune_id},
    )
    response = await client.post(
        "/api/v1/study/programs", headers=admin, json=_program_body(commune_id, materials=[draft.json()["id"]])
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["materials[0]"]
    # A document for one branch cannot be the material of a program for the whole commune.
    await _scalar(
        database_url,
        "update documents set status = 'published', audience_unit_id = $2 where id = $1::uuid",
        uuid.UUID(draft.json()["id"]),
        branch_id,
    )
    narrow = await client.post(
        "/api/v1/study/programs", headers=admin, json=_program_body(commune_id, materials=[draft.json()["id"]])
    )
    assert narrow.status_code == 400
    for_branch = await client.post(
        "/api/v1/study/programs", headers=admin, json=_program_body(branch_id, materials=[draft.json()["id"]])
    )
    assert for_branch.status_code == 201, for_branch.text


async def _member_program(client: AsyncTestClient[Any], **extra: Any) -> tuple[dict[str, str], str, dict[str, Any]]:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    _, commune_id = await _demo_units(client, admin)
    program = await _create(client, admin, commune_id, await _materials(client, admin, 1), **extra)
    return member, f"/api/v1/study/programs/{program['id']}", program


async def test_bad_attempts(client: AsyncTestClient[Any]) -> None:
    member, url, _ = await _member_program(client, quiz=_quiz())
    quiz = (await client.get(f"{url}/quiz", headers=member)).json()
    first, second = quiz["questions"]
    cases: list[tuple[Any, str]] = [
        ({"attempt_id": "not-a-uuid", "answers": []}, "attempt_id"),
        ({"answers": []}, "data"),  # a missing field: msgspec names no path
        (
            {"attempt_id": str(uuid.uuid4()), "answers": [{"question_id": str(uuid.uuid4()), "option_ids": []}]},
            "answers[0].question_id",
        ),
        (
            {
                "attempt_id": str(uuid.uuid4()),
                "answers": [{"question_id": first["id"], "option_ids": [second["options"][0]["id"]]}],
            },
            "answers[0].option_ids",
        ),
        (
            {
                "attempt_id": str(uuid.uuid4()),
                "answers": [{"question_id": first["id"], "option_ids": [o["id"] for o in first["options"]]}],
            },
            "answers[0].option_ids",
        ),
        (
            {"attempt_id": str(uuid.uuid4()), "answers": [{"question_id": first["id"], "option_ids": []}] * 2},
            "answers[1].question_id",
        ),
        (
            {
                "attempt_id": str(uuid.uuid4()),
                "answers": [{"question_id": first["id"], "option_ids": [str(uuid.uuid4())] * 11}],
            },
            "answers",
        ),
    ]
    for body, field in cases:
        response = await client.post(f"{url}/quiz/attempts", headers=member, json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert any(e["field"].startswith(field) for e in response.json()["errors"]), response.json()["errors"]
    after = (await client.get(f"{url}/quiz", headers=member)).json()
    assert after["attempts_used"] == 0, "refused attempts use up nothing"


async def test_bad_progress_and_reflections(client: AsyncTestClient[Any]) -> None:
    member, url, program = await _member_program(client, reflection_required=True)
    opened = {"event_id": str(uuid.uuid4()), "kind": "opened"}
    cases: list[tuple[str, Any]] = [
        ("progress", {"events": [opened] * 201}),
        ("progress", {"events": []}),
        ("progress", {"events": [{"event_id": str(uuid.uuid4()), "kind": "read", "document_id": str(uuid.uuid4())}]}),
        ("progress", {"events": [{"event_id": str(uuid.uuid4()), "kind": "read"}]}),
        ("progress", {"events": [{**opened, "document_id": program["materials"][0]["document_id"]}]}),
        ("progress", {"events": [{"event_id": "x", "kind": "opened"}]}),
        ("progress", {"events": [{**opened, "kind": "finished"}]}),
        ("progress", {"events": [{**opened, "occurred_at": "0001-01-01T00:00:00+07:00"}]}),
        ("progress", {"events": [{**opened, "occurred_at": "2026-01-01T00:00:00"}]}),
        ("reflections", {"reflection_id": str(uuid.uuid4()), "body": "x" * 20_001}),
        ("reflections", {"reflection_id": str(uuid.uuid4()), "body": ""}),
        ("reflections", {"reflection_id": str(uuid.uuid4()), "body": "a\x00b"}),
        ("reflections", {"reflection_id": "1234", "body": "Bài"}),
    ]
    for path, body in cases:
        response = await client.post(f"{url}/{path}", headers=member, json=body)
        assert response.status_code == 400, (path, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
    longest = await client.post(
        f"{url}/reflections", headers=member, json={"reflection_id": str(uuid.uuid4()), "body": "ạ" * 20_000}
    )
    assert longest.status_code == 200, "20,000 characters (not bytes) fit"


async def test_two_devices_share_the_attempt_limit(client: AsyncTestClient[Any], database_url: str) -> None:
    member, url, _ = await _member_program(client, quiz=_quiz(max_attempts=1))
    quiz = (await client.get(f"{url}/quiz", headers=member)).json()
    answers = [{"question_id": q["id"], "option_ids": [q["options"][0]["id"]]} for q in quiz["questions"]]
    phone, tablet = (
        client.post(f"{url}/quiz/attempts", headers=member, json={"attempt_id": str(uuid.uuid4()), "answers": answers})
        for _ in range(2)
    )
    results = await asyncio.gather(phone, tablet)
    assert sorted(r.status_code for r in results) == [200, 409]
    stored = await _scalar(database_url, "select count(*) from quiz_attempts")
    assert stored == 1
