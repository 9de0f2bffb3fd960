"""Demo feedback: an answered question published as an FAQ entry, and an open anonymous petition.

Run after the demo accounts exist; fixed ids make it idempotent (a second run inserts nothing).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.db import Connection
from api.handbook.rendering import render_markdown

_ANSWERED = UUID("5e1f0a52-6d1b-4c55-9a3e-0d4c1f0b0001")
_PETITION = UUID("5e1f0a52-6d1b-4c55-9a3e-0d4c1f0b0002")
_REPLY = UUID("5e1f0a52-6d1b-4c55-9a3e-0d4c1f0b0003")
_QUESTION = ("Lịch sinh hoạt chi bộ", "Chi bộ mình sinh hoạt thường kỳ mấy lần một tháng?")
_PETITION_TEXT = ("Đèn đường hẻm 12", "Đề nghị xã kiểm tra đèn đường hẻm 12 đã hỏng hơn một tháng.")
_FAQ_ANSWER = (
    "Chi bộ sinh hoạt thường kỳ **mỗi tháng một lần**, thường vào tuần đầu tháng. "
    "Lịch cụ thể được báo trên mục Thông báo ít nhất một ngày trước buổi họp."
)


async def seed_feedback(conn: Connection) -> int:
    """Insert the demo threads and FAQ entry if missing; returns how many rows were added."""
    people = await conn.fetchrow(
        "select m.id as member_id, a.id as account_id, m.branch_id, b.path, "
        "(select id from accounts where username = 'demo.secretary') as secretary_id "
        "from accounts a join members m on m.id = a.member_id join org_units b on b.id = m.branch_id "
        "where a.username = 'demo.member'"
    )
    if people is None or people["secretary_id"] is None:
        return 0
    added = await _insert_threads(conn, people)
    added += _count(
        await conn.execute(
            "insert into feedback_replies (id, thread_id, author_account_id, by_asker, body) "
            "values ($1, $2, $3, false, $4) on conflict (id) do nothing",
            _REPLY,
            _ANSWERED,
            people["secretary_id"],
            "Mỗi tháng một lần, vào tuần đầu tháng.",
        )
    )
    added += _count(
        await conn.execute(
            "insert into faq_entries (thread_id, unit_id, category, question, answer_md, answer_html, published_by) "
            "values ($1, $2, 'general', $3, $4, $5, $6) on conflict (thread_id) do nothing",
            _ANSWERED,
            people["branch_id"],
            "Chi bộ sinh hoạt thường kỳ bao lâu một lần?",
            _FAQ_ANSWER,
            render_markdown(_FAQ_ANSWER),
            people["secretary_id"],
        )
    )
    return added


async def _insert_threads(conn: Connection, people: Any) -> int:
    commune_id = people["path"][-2]
    added = 0
    threads = (
        (_ANSWERED, people["branch_id"], "branch", "question", *_QUESTION, False, "answered"),
        (_PETITION, commune_id, "commune", "petition", *_PETITION_TEXT, True, "new"),
    )
    for thread_id, unit_id, level, kind, title, body, anonymous, status in threads:
        added += _count(
            await conn.execute(
                "insert into feedback_threads (id, author_account_id, author_member_id, origin_branch_id, unit_id, "
                "level, kind, category, title, body, anonymous, faq_consent, status, answered_at) "
                "values ($1, $2, $3, $4, $5, $6, $7, 'general', $8, $9, $10, $11, $12, "
                "case when $12 = 'answered' then now() end) on conflict (id) do nothing",
                thread_id,
                people["account_id"],
                people["member_id"],
                people["branch_id"],
                unit_id,
                level,
                kind,
                title,
                body,
                anonymous,
                not anonymous,
                status,
            )
        )
    return added


def _count(status: str) -> int:
    return int(status.rsplit(" ", 1)[-1])
