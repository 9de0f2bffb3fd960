"""Study programs end to end: a committee assigns, a member studies offline-first, the secretary reviews."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from api.db import connect
from tests.helpers import bearer


async def _demo_units(client: AsyncTestClient[Any], admin: dict[str, str]) -> tuple[int, int]:
    """(branch, commune) of demo.member."""
    member = await bearer(client, "demo.member")
    me = (await client.get("/api/v1/me", headers=member)).json()
    record = (await client.get(f"/api/v1/members/{me['member_id']}", headers=admin)).json()
    branch = (await client.get(f"/api/v1/org/units/{record['branch_id']}", headers=admin)).json()
    return branch["id"], branch["path"][-2]


async def _materials(client: AsyncTestClient[Any], admin: dict[str, str], count: int = 2) -> list[str]:
    documents = (await client.get("/api/v1/documents", headers=admin)).json()
    return [d["id"] for d in documents if d["status"] == "published"][:count]


def _quiz(max_attempts: int = 3) -> dict[str, Any]:
    return {
        "pass_percent": 100,
        "max_attempts": max_attempts,
        "questions": [
            {
                "text": "Chi bộ sinh hoạt thường kỳ bao lâu một lần?",
                "kind": "single",
                "options": [{"text": "Mỗi tháng", "correct": True}, {"text": "Mỗi năm"}],
            },
            {
                "text": "Đảng viên có những nhiệm vụ nào?",
                "kind": "multiple",
                "options": [
                    {"text": "Học tập nghị quyết", "correct": True},
                    {"text": "Đóng đảng phí", "correct": True},
                    {"text": "Không cần sinh hoạt"},
                ],
            },
        ],
    }


async def _create(
    client: AsyncTestClient[Any], creator: dict[str, str], unit_id: int, materials: list[str], **extra: Any
) -> dict[str, Any]:
    body = {
        "unit_id": unit_id,
        "title": "Học tập Nghị quyết Đại hội",
        "description": "Chuyên đề năm 2026",
        "due_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        "materials": materials,
        **extra,
    }
    response = await client.post("/api/v1/study/programs", headers=creator, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _answers(quiz: dict[str, Any], *, right: bool) -> list[dict[str, Any]]:
    """Answers by option text: the right set, or the first option of each question."""
    right_texts = {"Mỗi tháng", "Học tập nghị quyết", "Đóng đảng phí"}
    answers = []
    for question in quiz["questions"]:
        options = [o["id"] for o in question["options"] if o["text"] in right_texts] if right else []
        answers.append({"question_id": question["id"], "option_ids": options or [question["options"][-1]["id"]]})
    return answers


async def _grant(client: AsyncTestClient[Any], admin: dict[str, str], login: str, role: str, unit_id: int) -> None:
    account = await bearer(client, login)
    member_id = (await client.get("/api/v1/me", headers=account)).json()["member_id"]
    granted = await client.post(
        "/api/v1/role-grants", headers=admin, json={"member_id": member_id, "role": role, "unit_id": unit_id}
    )
    assert granted.status_code == 201, granted.text


async def _scalar(database_url: str, query: str, *args: object) -> Any:
    conn = await connect(database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


@dataclass
class Journey:
    client: AsyncTestClient[Any]
    database_url: str
    admin: dict[str, str]
    member: dict[str, str]
    secretary: dict[str, str]
    branch_id: int
    commune_id: int
    materials: list[str]
    url: str = ""
    member_id: str = ""


async def test_a_program_from_assignment_to_report(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    branch_id, commune_id = await _demo_units(client, admin)
    materials = await _materials(client, admin)
    program = await _create(
        client,
        admin,
        commune_id,
        materials,
        quiz=_quiz(max_attempts=3),
        reflection_required=True,
        reflection_prompt="Liên hệ bản thân.",
    )
    assert program["can_manage"] is True
    assert program["quiz"] == {"pass_percent": 100, "max_attempts": 3, "question_count": 2}
    assert [m["document_id"] for m in program["materials"]] == materials

    # The member sees it among their programs, with their progress.
    listed = (await client.get("/api/v1/study/programs", headers=member)).json()["items"]
    mine = next(p for p in listed if p["id"] == program["id"])
    assert mine["can_manage"] is False
    assert mine["progress"]["opened"] is False
    assert mine["progress"]["materials_total"] == 2

    j = Journey(client, database_url, admin, member, secretary, branch_id, commune_id, materials)
    j.url = f"/api/v1/study/programs/{program['id']}"
    j.member_id = (await client.get("/api/v1/me", headers=member)).json()["member_id"]
    await _study(j)
    await _take_quiz(j)
    await _reflect(j)
    await _report(j)


async def _study(j: Journey) -> None:
    """Progress: the same event twice (offline replay) and a second device reading the same document."""
    client, member, url = j.client, j.member, j.url
    materials, database_url = j.materials, j.database_url
    read_first = {"event_id": str(uuid.uuid4()), "kind": "read", "document_id": materials[0]}
    opened = {"event_id": str(uuid.uuid4()), "kind": "opened"}
    first = await client.post(f"{url}/progress", headers=member, json={"events": [opened, read_first]})
    assert first.status_code == 200, first.text
    replay = await client.post(f"{url}/progress", headers=member, json={"events": [read_first, read_first]})
    assert replay.json() == first.json()
    other_device = {"event_id": str(uuid.uuid4()), "kind": "read", "document_id": materials[0]}
    again = await client.post(f"{url}/progress", headers=member, json={"events": [other_device]})
    assert again.json()["materials_read"] == [materials[0]]
    events = await _scalar(
        database_url, "select count(*) from study_events where member_id = $1::uuid", uuid.UUID(j.member_id)
    )
    assert events == 3, "the replayed event is stored once"
    read_second = {"event_id": str(uuid.uuid4()), "kind": "read", "document_id": materials[1]}
    progress = (await client.post(f"{url}/progress", headers=member, json={"events": [read_second]})).json()
    assert sorted(progress["materials_read"]) == sorted(materials)
    assert progress["completed"] is False, "quiz and reflection still missing"


async def _take_quiz(j: Journey) -> None:
    """The quiz without its answers: wrong, right, a replay, the last attempt, one too many."""
    client, member, url = j.client, j.member, j.url
    database_url, member_id = j.database_url, j.member_id
    quiz = (await client.get(f"{url}/quiz", headers=member)).json()
    assert quiz["attempts_left"] == 3
    assert all("correct" not in option for q in quiz["questions"] for option in q["options"])
    wrong_id = str(uuid.uuid4())
    wrong = await client.post(
        f"{url}/quiz/attempts", headers=member, json={"attempt_id": wrong_id, "answers": _answers(quiz, right=False)}
    )
    assert wrong.status_code == 200, wrong.text
    assert wrong.json() | {"submitted_at": None} == {
        "attempt_id": wrong_id,
        "correct": 0,
        "total": 2,
        "score_percent": 0.0,
        "passed": False,
        "submitted_at": None,
        "attempts_used": 1,
        "attempts_left": 2,
        "best_score_percent": 0.0,
    }
    right_id = str(uuid.uuid4())
    right = (
        await client.post(
            f"{url}/quiz/attempts", headers=member, json={"attempt_id": right_id, "answers": _answers(quiz, right=True)}
        )
    ).json()
    assert (right["score_percent"], right["passed"], right["attempts_left"]) == (100.0, True, 1)
    replayed = await client.post(
        f"{url}/quiz/attempts", headers=member, json={"attempt_id": wrong_id, "answers": _answers(quiz, right=True)}
    )
    assert replayed.status_code == 200
    assert replayed.json()["score_percent"] == 0.0, "a replay answers the stored result, not a new score"
    assert replayed.json()["attempts_used"] == 2, "a replay does not use up an attempt"
    assert replayed.json()["best_score_percent"] == 100.0, "the best attempt counts; scores never add up"
    last = await client.post(
        f"{url}/quiz/attempts",
        headers=member,
        json={"attempt_id": str(uuid.uuid4()), "answers": _answers(quiz, right=False)},
    )
    assert last.json()["attempts_left"] == 0
    assert last.json()["best_score_percent"] == 100.0
    over = await client.post(
        f"{url}/quiz/attempts",
        headers=member,
        json={"attempt_id": str(uuid.uuid4()), "answers": _answers(quiz, right=True)},
    )
    assert over.status_code == 409
    assert over.headers["content-type"].startswith("application/problem+json")
    attempts = await _scalar(
        database_url, "select count(*) from quiz_attempts where member_id = $1::uuid", uuid.UUID(member_id)
    )
    assert attempts == 3


SCAN = b"%PDF-1.4\n% a scan of a handwritten reflection\n%%EOF\n"


async def _reflection_file(j: Journey, reflection_id: str) -> None:
    """The author sends a scan with the reflection; the author and the secretary fetch it, nobody else."""
    client, member, secretary = j.client, j.member, j.secretary
    file_url = f"/api/v1/study/reflections/{reflection_id}/file"
    assert (await client.get(file_url, headers=member)).status_code == 404  # no file yet
    as_pdf = {**member, "Content-Type": "application/pdf"}
    disguised = await client.put(
        file_url, params={"file_name": "x.pdf"}, content=b"<script>alert(1)</script>", headers=as_pdf
    )
    assert disguised.status_code == 415
    not_mine = await client.put(file_url, params={"file_name": "x.pdf"}, content=SCAN, headers=secretary)
    assert not_mine.status_code == 404
    sent = await client.put(file_url, params={"file_name": "bai-viet-tay.pdf"}, content=SCAN, headers=as_pdf)
    assert sent.status_code == 200, sent.text
    assert sent.json()["file"]["name"] == "bai-viet-tay.pdf"
    for reader in (member, secretary):
        fetched = await client.get(file_url, headers=reader)
        assert fetched.status_code == 200
        assert fetched.content == SCAN
        assert fetched.headers["content-type"] == "application/pdf"
    stranger = await bearer(client, "demo.moderator")
    assert (await client.get(file_url, headers=stranger)).status_code == 404


async def _reflect(j: Journey) -> None:
    """Reflection: submitted, returned with a comment, resubmitted, accepted; then all is done."""
    client, member, secretary, url = j.client, j.member, j.secretary, j.url
    database_url = j.database_url
    first_id = str(uuid.uuid4())
    body = "Bài thu hoạch: " + "Cafe\u0301 "  # decomposed text arrives, NFC is stored
    submitted = await client.post(f"{url}/reflections", headers=member, json={"reflection_id": first_id, "body": body})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["body"] == "Bài thu hoạch: Café "
    twice = await client.post(f"{url}/reflections", headers=member, json={"reflection_id": first_id, "body": body})
    assert twice.json() == submitted.json()
    pending = await client.post(
        f"{url}/reflections", headers=member, json={"reflection_id": str(uuid.uuid4()), "body": "Bản khác"}
    )
    assert pending.status_code == 409, "one reflection waits for review at a time"
    await _reflection_file(j, first_id)
    inbox = (await client.get(f"{url}/reflections", headers=secretary)).json()
    assert [(r["id"], r["status"]) for r in inbox] == [(first_id, "submitted")]
    assert inbox[0]["file"] == {"name": "bai-viet-tay.pdf", "media_type": "application/pdf", "size_bytes": len(SCAN)}
    no_comment = await client.post(
        f"/api/v1/study/reflections/{first_id}/review", headers=secretary, json={"decision": "return"}
    )
    assert no_comment.status_code == 400
    returned = await client.post(
        f"/api/v1/study/reflections/{first_id}/review",
        headers=secretary,
        json={"decision": "return", "comment": "Cần liên hệ thực tế chi bộ."},
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    assert (await client.get(url, headers=member)).json()["progress"]["reflection_status"] == "returned"
    second_id = str(uuid.uuid4())
    resubmitted = await client.post(
        f"{url}/reflections", headers=member, json={"reflection_id": second_id, "body": "Bản sửa, có liên hệ."}
    )
    assert resubmitted.json()["version"] == 2
    accepted = await client.post(
        f"/api/v1/study/reflections/{second_id}/review", headers=secretary, json={"decision": "accept"}
    )
    assert accepted.json()["status"] == "accepted"
    reviewed_again = await client.post(
        f"/api/v1/study/reflections/{second_id}/review", headers=secretary, json={"decision": "return", "comment": "x"}
    )
    assert reviewed_again.status_code == 409
    locked = await client.put(
        f"/api/v1/study/reflections/{second_id}/file",
        params={"file_name": "muon.pdf"},
        content=SCAN,
        headers={**member, "Content-Type": "application/pdf"},
    )
    assert locked.status_code == 409, "a reviewed reflection's file is part of the review"
    audited = await _scalar(database_url, "select count(*) from audit_log where action = 'reflection_reviewed'")
    assert audited == 2

    done = (await client.get(url, headers=member)).json()["progress"]
    assert done | {"materials_read": None} == {
        "opened": True,
        "materials_read": None,
        "materials_total": 2,
        "quiz_required": True,
        "quiz_passed": True,
        "best_score_percent": 100.0,
        "attempts_used": 3,
        "reflection_required": True,
        "reflection_status": "accepted",
        "completed": True,
        "overdue": False,
    }


async def _report(j: Journey) -> None:
    """Reports: the secretary sees their branch with names; the admin sees counts for the commune."""
    client, secretary, admin, url = j.client, j.secretary, j.admin, j.url
    database_url, member_id, branch_id, commune_id = j.database_url, j.member_id, j.branch_id, j.commune_id
    branch_report = (await client.get(f"{url}/report", headers=secretary)).json()
    assert [b["unit_id"] for b in branch_report["branches"]] == [branch_id]
    assert branch_report["total"]["completed"] == 1
    assert {m["member_id"] for m in branch_report["members"] if m["completed"]} == {member_id}
    assert all(m["branch_id"] == branch_id for m in branch_report["members"])
    report = (await client.get(f"{url}/report", headers=admin)).json()
    assert report["members"] == []
    assigned = await _scalar(
        database_url,
        "select count(*) from members m join org_units b on b.id = m.branch_id "
        "where b.path @> array[$1::bigint] and m.status = 'active'",
        commune_id,
    )
    assert report["total"]["assigned"] == assigned == sum(b["assigned"] for b in report["branches"])
    assert report["total"]["completed"] == 1
    assert report["total"]["completion_percent"] == round(100 / assigned, 1)
    assert report["total"]["average_best_score"] == 100.0
    assert report["total"]["overdue"] == 0
    demo_row = next(b for b in report["branches"] if b["unit_id"] == branch_id)
    assert demo_row["completed"] == 1

    exported = await client.get(f"{url}/report", params={"format": "csv"}, headers=admin)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["cap"] == "Tổng"
    assert int(rows[0]["so_dang_vien"]) == assigned
    assert int(rows[0]["da_hoan_thanh"]) == 1
    assert {row["ma_don_vi"] for row in rows if row["cap"] == "Chi bộ"} == {b["code"] for b in report["branches"]}


async def test_out_of_scope_programs_answer_404(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    _, commune_id = await _demo_units(client, admin)
    other_commune = await _scalar(
        database_url, "select id from org_units where kind = 'commune' and id <> $1 order by code limit 1", commune_id
    )
    program = await _create(client, admin, other_commune, await _materials(client, admin), quiz=_quiz())
    url = f"/api/v1/study/programs/{program['id']}"
    assert (await client.get(url, headers=member)).status_code == 404
    assert (await client.get(f"{url}/quiz", headers=member)).status_code == 404
    progress = await client.post(
        f"{url}/progress", headers=member, json={"events": [{"event_id": str(uuid.uuid4()), "kind": "opened"}]}
    )
    assert progress.status_code == 404
    listed = (await client.get("/api/v1/study/programs", headers=member)).json()["items"]
    assert program["id"] not in {p["id"] for p in listed}
    # An officer of the demo commune cannot aim a program at another commune, and gets 404, not 403.
    await _grant(client, admin, "demo.secretary", "officer", commune_id)
    secretary = await bearer(client, "demo.secretary")
    refused = await client.post(
        "/api/v1/study/programs",
        headers=secretary,
        json={"unit_id": other_commune, "title": "X", "due_at": "2030-01-01T00:00:00Z"},
    )
    assert refused.status_code == 404
    assert (await client.get(f"{url}/report", headers=secretary)).status_code == 404
    # Within their commune the officer creates programs and reports on every branch of it.
    own = await _create(client, secretary, commune_id, [])
    assert own["can_manage"] is True
    report = (await client.get(f"/api/v1/study/programs/{own['id']}/report", headers=secretary)).json()
    branches = await _scalar(
        database_url,
        "select count(distinct m.branch_id) from members m join org_units b on b.id = m.branch_id "
        "where b.path @> array[$1::bigint] and m.status = 'active'",
        commune_id,
    )
    assert len(report["branches"]) == branches > 1
    assert report["total"]["completed"] == 0, "with nothing to read, a program is done once opened, not before"
    opened = await client.post(
        f"/api/v1/study/programs/{own['id']}/progress",
        headers=member,
        json={"events": [{"event_id": str(uuid.uuid4()), "kind": "opened"}]},
    )
    assert opened.json()["completed"] is True
    report = (await client.get(f"/api/v1/study/programs/{own['id']}/report", headers=secretary)).json()
    assert report["total"]["completed"] == 1
    assert [m["full_name"] for m in report["members"] if m["completed"]] == [
        (await client.get("/api/v1/me", headers=member)).json()["display_name"]
    ]


async def test_overdue_programs_count_in_the_report(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    branch_id, _ = await _demo_units(client, admin)
    body = {"unit_id": branch_id, "title": "Đã quá hạn", "due_at": "2020-01-01T00:00:00+07:00"}
    created = await client.post("/api/v1/study/programs", headers=admin, json=body)
    assert created.status_code == 201, created.text
    report = (await client.get(f"/api/v1/study/programs/{created.json()['id']}/report", headers=admin)).json()
    total = report["total"]
    assert total["assigned"] > 0
    assert (total["completed"], total["overdue"], total["overdue_percent"]) == (0, total["assigned"], 100.0)
    assert report["communes"] == []
    assert total["average_best_score"] is None
