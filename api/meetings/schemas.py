"""Branch meetings as the API takes and shows them: templates, meetings, RSVPs, absences, check-ins, quality."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from api.schemas import Input

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Place = Annotated[str, msgspec.Meta(max_length=300)]
Agenda = Annotated[str, msgspec.Meta(max_length=20_000)]
Reason = Annotated[str, msgspec.Meta(max_length=1000)]
BranchId = Annotated[int, msgspec.Meta(ge=1, le=2**62)]
Duration = Annotated[int, msgspec.Meta(ge=15, le=720)]
"""Minutes: a quarter of an hour to half a day."""
LocalTime = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
"""``HH:MM`` on the branch's clock (Asia/Ho_Chi_Minh)."""
Aware = Annotated[datetime, msgspec.Meta(tz=True)]
Materials = Annotated[list[UUID], msgspec.Meta(max_length=20)]
MeetingKind = Literal["regular", "thematic"]
MeetingStatus = Literal["scheduled", "cancelled", "held"]
RsvpResponse = Literal["attending", "not_attending"]
AbsenceStatus = Literal["requested", "approved", "refused"]
Band = Literal["at_least_90", "75_to_90", "65_to_75", "below_65"]
"""Attendance bands of Guidance 42-HD/BTCTW: 90% and above, 75 to 90%, 65 to 75%, below 65%."""

EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)
"""Times outside these are mistakes, and near year 1 or 9999 they cannot even be moved to UTC."""


def _check_time(name: str, value: datetime | msgspec.UnsetType | None) -> None:
    if isinstance(value, datetime) and not EARLIEST <= value <= LATEST:
        raise ValueError(f"{name}: must lie between {EARLIEST.year} and {LATEST.year}")


def _check_not_blank(name: str, value: str | msgspec.UnsetType) -> None:
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{name}: must not be blank")


# Requests --------------------------------------------------------------------------------------------


class TemplateCreate(Input, frozen=True, kw_only=True):
    branch_id: BranchId | None = None
    """Default: the branch you lead (needed only when you lead several)."""
    title: Title = "Sinh hoạt chi bộ thường kỳ"
    day_of_month: Annotated[int, msgspec.Meta(ge=1, le=31)]
    """Day N of each month; months without day N meet on their last day."""
    local_time: LocalTime
    duration_minutes: Duration = 120
    place: Place = ""
    agenda_md: Agenda = ""
    """The default agenda (Markdown) each occurrence starts with."""
    months_ahead: Annotated[int, msgspec.Meta(ge=1, le=12)] = 3
    """Occurrences exist up to this many months after the current one."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_not_blank("title", self.title)


class TemplateUpdate(Input, frozen=True, kw_only=True):
    """Changes apply to the occurrences still to come that were not edited one by one."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    day_of_month: Annotated[int, msgspec.Meta(ge=1, le=31)] | msgspec.UnsetType = msgspec.UNSET
    local_time: LocalTime | msgspec.UnsetType = msgspec.UNSET
    duration_minutes: Duration | msgspec.UnsetType = msgspec.UNSET
    place: Place | msgspec.UnsetType = msgspec.UNSET
    agenda_md: Agenda | msgspec.UnsetType = msgspec.UNSET
    months_ahead: Annotated[int, msgspec.Meta(ge=1, le=12)] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    """False stops new occurrences; those already made stay (cancel them one by one)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_not_blank("title", self.title)


class MeetingCreate(Input, frozen=True, kw_only=True):
    id: UUID | None = None
    """Made by the client when written offline: sending it again answers the meeting it made."""
    branch_id: BranchId | None = None
    """Default: the branch you lead (needed only when you lead several)."""
    kind: MeetingKind = "thematic"
    title: Title
    starts_at: Aware
    duration_minutes: Duration = 120
    place: Place = ""
    agenda_md: Agenda = ""
    materials: Materials = []
    """Published handbook documents the branch's members can read, in reading order."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_not_blank("title", self.title)
        _check_time("starts_at", self.starts_at)


class MeetingUpdate(Input, frozen=True, kw_only=True):
    """A new time or place (or a cancellation) is pushed to the branch's members at high urgency."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    starts_at: Aware | msgspec.UnsetType = msgspec.UNSET
    duration_minutes: Duration | msgspec.UnsetType = msgspec.UNSET
    place: Place | msgspec.UnsetType = msgspec.UNSET
    agenda_md: Agenda | msgspec.UnsetType = msgspec.UNSET
    materials: Materials | msgspec.UnsetType = msgspec.UNSET
    """Replaces the list; documents that stay keep the time they were first linked."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_not_blank("title", self.title)
        _check_time("starts_at", self.starts_at)


class CancelRequest(Input, frozen=True, kw_only=True):
    reason: Reason = ""


class RsvpRequest(Input, frozen=True, kw_only=True):
    rsvp_id: UUID
    """Made by the client once per answer: a replay, or an older answer arriving late, changes nothing."""
    response: RsvpResponse
    answered_at: Aware | None = None
    """When the member answered (offline); default now. Times ahead of the server count as now."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_time("answered_at", self.answered_at)


class AbsenceRequest(Input, frozen=True, kw_only=True):
    absence_id: UUID
    """Made by the client once per request: sending it again answers the stored request."""
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_not_blank("reason", self.reason)


class AbsenceDecision(Input, frozen=True, kw_only=True):
    decision: Literal["approve", "refuse"]
    note: Reason = ""


class CheckInRequest(Input, frozen=True, kw_only=True):
    check_in_id: UUID
    """Made by the client once per check-in: a replay counts once."""
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")]
    observed_at: Aware | None = None
    """When the phone saw the code (entered or scanned without signal); default now."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_time("observed_at", self.observed_at)


class AttendanceMark(Input, frozen=True, kw_only=True):
    member_id: UUID
    present: bool | None
    """The secretary's word, which wins over the code; null withdraws it (a code check-in counts again)."""


class MarkAttendanceRequest(Input, frozen=True, kw_only=True):
    marks: Annotated[list[AttendanceMark], msgspec.Meta(min_length=1, max_length=200)]


class MinutesRequest(Input, frozen=True, kw_only=True):
    minutes_md: Annotated[str, msgspec.Meta(min_length=1, max_length=100_000)]

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_not_blank("minutes_md", self.minutes_md)


# Responses -------------------------------------------------------------------------------------------


class Material(msgspec.Struct, frozen=True, kw_only=True):
    document_id: UUID
    title: str
    linked_at: datetime


class MyAbsence(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    status: AbsenceStatus
    reason: str
    decision_note: str


class MeetingSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    branch_id: int
    branch_name: str
    kind: MeetingKind
    template_id: UUID | None
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    status: MeetingStatus
    material_count: int
    has_minutes: bool
    my_rsvp: RsvpResponse | None
    my_absence_status: AbsenceStatus | None
    checked_in: bool


class MeetingPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MeetingSummary]
    next_cursor: str | None


class Meeting(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    branch_id: int
    branch_name: str
    kind: MeetingKind
    template_id: UUID | None
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    agenda_md: str
    agenda_html: str
    status: MeetingStatus
    cancel_reason: str
    materials: list[Material]
    minutes_md: str | None
    minutes_html: str | None
    minutes_published_at: datetime | None
    check_in_opens_at: datetime
    check_in_closes_at: datetime
    can_manage: bool
    """The caller is the branch's secretary or deputy."""
    my_rsvp: RsvpResponse | None
    my_absence: MyAbsence | None
    checked_in: bool
    created_at: datetime
    updated_at: datetime


class MeetingTemplate(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    branch_id: int
    title: str
    day_of_month: int
    local_time: str
    duration_minutes: int
    place: str
    agenda_md: str
    months_ahead: int
    active: bool
    materialised_through: date
    """The first day of the last local month whose occurrence exists."""
    upcoming: list[MeetingSummary]


class Rsvp(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: UUID
    response: RsvpResponse
    answered_at: datetime


class Absence(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    meeting_id: UUID
    member_id: UUID
    member_name: str
    reason: str
    status: AbsenceStatus
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class CheckInCode(msgspec.Struct, frozen=True, kw_only=True):
    """For the branch's secretaries only. ``secret`` lets their phone keep showing codes without signal."""

    meeting_id: UUID
    code: str | None
    """The code of the current step; null outside the check-in window."""
    qr_payload: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    step_seconds: int
    digits: int
    algorithm: str
    secret: str
    """Base32 (RFC 4648, unpadded)."""
    window_opens_at: datetime
    window_closes_at: datetime


class CheckIn(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: UUID
    member_id: UUID
    present: bool
    observed_at: datetime | None
    checked_in_at: datetime | None
    marked: bool | None


class AttendanceRow(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    full_name: str
    active: bool
    rsvp: RsvpResponse | None
    absence_id: UUID | None
    absence_status: AbsenceStatus | None
    absence_reason: str | None
    observed_at: datetime | None
    checked_in_at: datetime | None
    marked: bool | None
    present: bool


class AttendanceCount(msgspec.Struct, frozen=True, kw_only=True):
    active_members: int
    present: int
    excused: int
    """Approved absences of members who did not come: left out of the denominator."""
    expected: int
    attendance_percent: float | None
    band: Band | None


class Attendance(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: UUID
    count: AttendanceCount
    members: list[AttendanceRow]


class MeetingQuality(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: UUID
    branch_id: int
    title: str
    starts_at: datetime
    status: MeetingStatus
    materials_on_time: bool
    """A material was linked at least one day before the start."""
    minutes_on_time: bool
    """Minutes were first published within two days after the end."""
    attendance: AttendanceCount


class BranchQuality(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: int
    code: str
    name: str
    meetings: int
    materials_on_time: int
    minutes_on_time: int
    average_attendance_percent: float | None
    band: Band | None


class QualityReport(msgspec.Struct, frozen=True, kw_only=True):
    """Meetings that started in the period (local dates, both included) and were not cancelled."""

    unit_id: int | None
    since: date
    until: date
    branches: list[BranchQuality]
    meetings: list[MeetingQuality]
    """Meeting by meeting, when the report covers a single branch."""
