"""Feedback threads, replies and FAQ entries as the API takes and shows them.

Threads and replies are plain text: members write on phones, often quoting numbers, lists and names,
and Markdown would rewrite their words ("1." becomes a list, "*" vanishes) and give a petition markup
its author never meant. Plain text is stored as typed and shown as text by the app (never as HTML), so
it has no markup to sanitize. FAQ answers are reference content edited by an officer: Markdown,
rendered and sanitized like the handbook.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Annotated, ClassVar, Literal
from uuid import UUID

import msgspec
import msgspec.inspect

from api.schemas import Input

Kind = Literal["question", "suggestion", "petition"]
Level = Literal["branch", "commune", "province"]
Category = Literal["general", "party_building", "policy", "livelihood", "app"]
Status = Literal["new", "acknowledged", "answered", "closed"]
AppealStatus = Literal["none", "pending", "upheld", "overturned"]

LEVELS: tuple[Level, ...] = ("branch", "commune", "province")
MAX_BODY = 5000
Body = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_BODY)]
OptionalBody = Annotated[str, msgspec.Meta(max_length=MAX_BODY)]
Title = Annotated[str, msgspec.Meta(max_length=200)]
Comment = Annotated[str, msgspec.Meta(max_length=1000)]

# Control characters other than tab and newlines, and the bidirectional overrides that make text read
# differently from what it says (a petition must show what was sent).
_FORBIDDEN = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(name: str, value: str) -> str:
    """Plain text as stored: newlines unified, forbidden characters refused (a ValueError names the field)."""
    if _FORBIDDEN.search(value):
        raise ValueError(f"{name}: must not contain control or text-direction characters")
    return value.replace("\r\n", "\n").replace("\r", "\n")


@cache
def _max_lengths(cls: type[msgspec.Struct]) -> dict[str, int]:
    info = msgspec.inspect.type_info(cls)
    assert isinstance(info, msgspec.inspect.StructType)  # noqa: S101 - called with Struct classes only
    return {
        field.name: field.type.max_length
        for field in info.fields
        if isinstance(field.type, msgspec.inspect.StrType) and field.type.max_length is not None
    }


class TextInput(Input, frozen=True, kw_only=True):
    """A request body whose strings are plain text, and whose ``_required`` strings are not just spaces."""

    _required: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        limits = _max_lengths(type(self))
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, str):
                cleaned = plain_text(name, value)
                if name in self._required and not cleaned.strip():
                    raise ValueError(f"{name}: must not be blank")
                # NFC can lengthen a few characters (up to three times): the limit holds for what is stored.
                if name in limits and len(cleaned) > limits[name]:
                    raise ValueError(f"{name}: longer than {limits[name]} characters once normalised")
                if cleaned != value:
                    msgspec.structs.force_setattr(self, name, cleaned)


# Requests --------------------------------------------------------------------------------------------


class FeedbackCreate(TextInput, frozen=True, kw_only=True):
    _required = ("body",)

    body: Body
    id: UUID | None = None
    """Made by the client when the message is written (offline queue): sending it again changes nothing."""
    kind: Kind = "suggestion"
    level: Level = "branch"
    """Who receives it: the member's own branch, its commune, or the province."""
    category: Category = "general"
    title: Title = ""
    anonymous: bool = False
    """Hide the name from the branch: only the committee's moderators can look it up, and each look is audited."""
    faq_consent: bool = False
    """The member agrees that an anonymised answer may be published as an FAQ entry."""


class ReplyCreate(TextInput, frozen=True, kw_only=True):
    _required = ("body",)

    body: Body
    id: UUID | None = None
    """Made by the client (offline queue): sending it again changes nothing."""


class StatusChange(Input, frozen=True, kw_only=True):
    status: Literal["acknowledged", "closed"]
    """``answered`` comes with an officer's reply; ``new`` with a reopening."""


class RatingRequest(TextInput, frozen=True, kw_only=True):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    comment: Comment = ""


class ReopenRequest(TextInput, frozen=True, kw_only=True):
    body: OptionalBody = ""
    """What is still unanswered; added to the thread as the member's reply."""


class ConsentRequest(Input, frozen=True, kw_only=True):
    consent: bool
    """Withdrawing it also withdraws an FAQ entry already published from the thread."""


class FaqPublish(TextInput, frozen=True, kw_only=True):
    _required = ("question", "answer_md")

    thread_id: UUID
    question: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    """The question as the officer rewrote it: no names, nothing that identifies the asker."""
    answer_md: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]


# Responses -------------------------------------------------------------------------------------------


class Person(msgspec.Struct, frozen=True):
    member_id: UUID
    full_name: str


class ModerationNote(msgspec.Struct, frozen=True, kw_only=True):
    """Why something is hidden: shown to its author and to the moderators over it."""

    case_id: UUID
    reason: str
    message: str
    hidden_at: datetime
    appeal: AppealStatus
    can_appeal: bool


class FeedbackReply(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    by_asker: bool
    author_name: str | None
    """None for the asker of an anonymous thread (except to the asker)."""
    mine: bool
    body: str
    """Empty when hidden, except to its author and the moderators."""
    created_at: datetime
    hidden: bool
    moderation: ModerationNote | None


class FeedbackThread(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: Kind
    category: Category
    level: Level
    unit_id: int
    unit_name: str
    origin_branch_id: int
    title: str
    body: str
    anonymous: bool
    author: Person | None
    """None when anonymous (except to the asker): moderators use RevealFeedbackAuthor, which is audited."""
    mine: bool
    status: Status
    created_at: datetime
    answer_due_at: datetime
    overdue: bool
    escalations: int
    acknowledged_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    reopen_until: datetime | None
    rating: int | None
    rating_comment: str
    faq_consent: bool
    locked: bool
    hidden: bool
    moderation: ModerationNote | None
    responsible: bool
    """The caller answers for this level (replies, acknowledges, publishes FAQ entries)."""
    can_moderate: bool
    replies: list[FeedbackReply]


class FeedbackSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: Kind
    category: Category
    level: Level
    unit_id: int
    unit_name: str
    title: str
    excerpt: str
    anonymous: bool
    author_name: str | None
    mine: bool
    status: Status
    created_at: datetime
    last_activity_at: datetime
    answer_due_at: datetime
    overdue: bool
    reply_count: int
    hidden: bool
    responsible: bool


class FeedbackPage(msgspec.Struct, frozen=True):
    items: list[FeedbackSummary]
    next_cursor: str | None


class AuthorIdentity(msgspec.Struct, frozen=True, kw_only=True):
    """Who sent an anonymous thread: answered only to the committee's moderators, and every answer audited."""

    thread_id: UUID
    member_id: UUID
    full_name: str
    branch_id: int
    branch_name: str


class FaqEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    unit_id: int
    unit_name: str
    category: Category
    question: str
    answer_html: str
    """Sanitized HTML; empty when hidden (except to moderators and the publisher)."""
    published_at: datetime
    hidden: bool
    mine: bool
    moderation: ModerationNote | None


class FaqPage(msgspec.Struct, frozen=True):
    items: list[FaqEntry]
    next_cursor: str | None
