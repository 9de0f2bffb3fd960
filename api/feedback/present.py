"""Rows to API structs, applying what each viewer may see of hidden content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from api.feedback.schemas import AppealStatus, FaqEntry, FeedbackReply, FeedbackSummary, ModerationNote, Person

REOPEN_WINDOW = timedelta(days=14)
"""The asker may reopen a closed thread this long after it was closed."""
WAITING = ("new", "acknowledged")


def moderation_note(row: Any, *, mine: bool, moderator: bool) -> ModerationNote | None:
    """Why the item is hidden, for its author and its moderators; nothing for anyone else."""
    if row["case_id"] is None or not (mine or moderator):
        return None
    return ModerationNote(
        case_id=row["case_id"],
        reason=row["hide_reason"],
        message=row["hide_message"],
        hidden_at=row["hidden_at"],
        appeal=appeal_status(row),
        can_appeal=mine and row["appealed_at"] is None,
    )


def appeal_status(row: Any) -> AppealStatus:
    if row["appealed_at"] is None:
        return "none"
    decision: AppealStatus = row["appeal_decision"] or "pending"
    return decision


def shown(row: Any, text: str, *, mine: bool, moderator: bool) -> str:
    """Hidden text is kept for the appeal; others see only that it is hidden."""
    return text if row["case_id"] is None or mine or moderator else ""


def person(row: Any) -> Person | None:
    if row["author_member_id"] is None:
        return None
    return Person(member_id=row["author_member_id"], full_name=row["author_name"])


def reopen_until(row: Any) -> datetime | None:
    return row["closed_at"] + REOPEN_WINDOW if row["status"] == "closed" and row["closed_at"] else None


def overdue(row: Any, now: datetime | None = None) -> bool:
    return row["status"] in WAITING and (now or datetime.now(UTC)) > row["answer_due_at"]


def reply(row: Any, *, moderator: bool) -> FeedbackReply:
    mine = row["mine"]
    return FeedbackReply(
        id=row["id"],
        by_asker=row["by_asker"],
        author_name=row["author_name"],
        mine=mine,
        body=shown(row, row["body"], mine=mine, moderator=moderator),
        created_at=row["created_at"],
        hidden=row["case_id"] is not None,
        moderation=moderation_note(row, mine=mine, moderator=moderator),
    )


def summary(row: Any, *, responsible: bool, moderator: bool) -> FeedbackSummary:
    visible = not row["hidden"] or row["mine"] or moderator
    return FeedbackSummary(
        id=row["id"],
        kind=row["kind"],
        category=row["category"],
        level=row["level"],
        unit_id=row["unit_id"],
        unit_name=row["unit_name"],
        title=row["title"] if visible else "",
        excerpt=row["excerpt"] if visible else "",
        anonymous=row["anonymous"],
        author_name=row["author_name"],
        mine=row["mine"],
        status=row["status"],
        created_at=row["created_at"],
        last_activity_at=row["last_activity_at"],
        answer_due_at=row["answer_due_at"],
        overdue=overdue(row),
        reply_count=row["reply_count"],
        hidden=row["hidden"],
        responsible=responsible,
    )


def faq(row: Any, *, moderator: bool) -> FaqEntry:
    mine = row["mine"]
    return FaqEntry(
        id=row["id"],
        unit_id=row["unit_id"],
        unit_name=row["unit_name"],
        category=row["category"],
        question=shown(row, row["question"], mine=mine, moderator=moderator),
        answer_html=shown(row, row["answer_html"], mine=mine, moderator=moderator),
        published_at=row["published_at"],
        hidden=row["case_id"] is not None,
        mine=mine,
        moderation=moderation_note(row, mine=mine, moderator=moderator),
    )
