"""Taking part: RSVPs, absence requests and their decisions, check-in by rotating code, and the roll."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from api.audit.service import record
from api.auth.throttle import Throttle
from api.context import RequestContext
from api.db import Connection
from api.errors import Conflict, FieldError, InvalidInput, NotFound, TooManyRequests, Unprocessable
from api.meetings import codes
from api.meetings.access import MeetingAccess, Q
from api.meetings.schemas import (
    Absence,
    AbsenceDecision,
    AbsenceRequest,
    Attendance,
    AttendanceRow,
    CheckIn,
    CheckInCode,
    CheckInRequest,
    MarkAttendanceRequest,
    Rsvp,
    RsvpRequest,
)
from api.meetings.views import attendance_count
from api.outbox import Audience, NotificationIntent, enqueue_notification

if TYPE_CHECKING:
    from api.meetings.upcoming import MeetingWrites


class AttendanceService(MeetingAccess):
    def __init__(
        self, conn: Connection, ctx: RequestContext, *, check_in_throttle: Throttle, writes: MeetingWrites | None = None
    ) -> None:
        super().__init__(conn, ctx, writes=writes)
        self.check_in_throttle = check_in_throttle

    # Before the meeting ---------------------------------------------------------------------------

    async def rsvp(self, meeting_id: UUID, data: RsvpRequest) -> Rsvp:
        """Answer attending or not; the latest answer (by the time it was made) stands."""
        row = await self.attended_meeting(meeting_id)
        self._require_open(row)
        now = self.now()
        answered_at = min(data.answered_at or now, now)
        await self.conn.execute(Q["upsert_rsvp"], meeting_id, self.member_id, data.response, data.rsvp_id, answered_at)
        stored = await self.conn.fetchrow(Q["get_rsvp"], meeting_id, self.member_id)
        assert stored is not None  # noqa: S101 - written above in this transaction
        return Rsvp(meeting_id=meeting_id, response=stored["response"], answered_at=stored["answered_at"])

    async def request_absence(self, meeting_id: UUID, data: AbsenceRequest) -> Absence:
        """Ask the secretary to be excused, with a reason; one request open (or approved) at a time."""
        row = await self.attended_meeting(meeting_id)
        replayed = await self._own_absence(data.absence_id, meeting_id)
        if replayed is not None:
            return replayed
        self._require_open(row)
        inserted = await self.conn.fetchval(
            Q["insert_absence"], data.absence_id, meeting_id, self.member_id, data.reason
        )
        if inserted is None:
            replayed = await self._own_absence(data.absence_id, meeting_id)
            if replayed is not None:
                return replayed
            raise Conflict("Bạn đã xin vắng buổi sinh hoạt này.")
        return _absence(await self.conn.fetchrow(Q["get_absence"], data.absence_id))

    async def decide_absence(self, absence_id: UUID, data: AbsenceDecision) -> Absence:
        """The branch's secretary approves or refuses; the member is told. The same decision again is a no-op."""
        row = await self.conn.fetchrow(Q["get_absence"], absence_id)
        if row is None or not self.can_manage(row["branch_path"]):
            raise NotFound(f"No absence request {absence_id}.")
        status = "approved" if data.decision == "approve" else "refused"
        if row["status"] == status:
            return _absence(row)
        if row["status"] != "requested":
            raise Conflict("Đơn xin vắng này đã được quyết định.")
        self.changes_member(row["member_id"])
        await self.conn.execute(Q["decide_absence"], absence_id, status, data.note, self.principal.account_id)
        verdict = "đã được chấp thuận" if status == "approved" else "không được chấp thuận"
        intent = NotificationIntent(
            kind="meeting.absence_decided",
            category="meeting",
            title="Kết quả xin vắng",
            body=f"Đơn xin vắng buổi «{row['meeting_title'][:200]}» {verdict}.",
            url=f"/meetings/{row['meeting_id']}",
            audience=Audience(members=(row["member_id"],)),
            topic=f"meeting-absence:{absence_id}",
        )
        await enqueue_notification(self.conn, intent, source=f"meeting-absence:{absence_id}")
        await record(
            self.conn,
            self.ctx,
            "meeting_absence_decided",
            target=f"meeting:{row['meeting_id']}",
            unit_id=row["branch_id"],
            details={"absence_id": str(absence_id), "decision": data.decision},
        )
        return _absence(await self.conn.fetchrow(Q["get_absence"], absence_id))

    # At the meeting -------------------------------------------------------------------------------

    async def check_in_code(self, meeting_id: UUID) -> CheckInCode:
        """The code of this moment and its QR, and the secret for the secretary's phone to go on offline."""
        row = await self.managed_meeting(meeting_id)
        if row["status"] == "cancelled":
            raise Conflict("Buổi sinh hoạt đã bị hủy.")
        secret: bytes = await self.conn.fetchval(Q["get_secret"], meeting_id)
        opens, closes = codes.window(row["starts_at"], row["ends_at"])
        now = self.now()
        code = valid_from = valid_until = None
        if opens <= now <= closes:
            step = codes.step_of(now)
            code = codes.code_at(secret, step)
            valid_from, valid_until = codes.step_start(step), codes.step_start(step + 1)
        return CheckInCode(
            meeting_id=meeting_id,
            code=code,
            qr_payload=None if code is None else codes.qr_payload(meeting_id, code),
            valid_from=valid_from,
            valid_until=valid_until,
            step_seconds=codes.STEP_SECONDS,
            digits=codes.DIGITS,
            algorithm=codes.ALGORITHM,
            secret=codes.exported_secret(secret),
            window_opens_at=opens,
            window_closes_at=closes,
        )

    async def check_in(self, meeting_id: UUID, data: CheckInRequest) -> CheckIn:
        """Check in with the code seen at ``observed_at`` (now, or earlier on a phone without signal).

        A member already checked in gets their check-in back whatever they send: replays count once.
        Failed codes count against a per-member, per-meeting limit in Redis.
        """
        row = await self.attended_meeting(meeting_id)
        existing = await self.conn.fetchrow(Q["get_attendance"], meeting_id, self.member_id)
        if existing is not None and existing["checked_in_at"] is not None:
            return _check_in(existing)
        if row["status"] == "cancelled":
            raise Conflict("Buổi sinh hoạt đã bị hủy.")
        now = self.now()
        observed_at = data.observed_at or now
        if observed_at > now + codes.FUTURE_SKEW:
            raise InvalidInput(
                "Thời điểm ghi mã nằm ở tương lai.", errors=[FieldError(field="observed_at", message="in the future")]
            )
        if now > row["ends_at"] + codes.SYNC_GRACE:
            raise Conflict("Đã quá hạn gửi điểm danh của buổi sinh hoạt này.")
        subject = f"{meeting_id}:{self.member_id}"
        verdict = await self.check_in_throttle.attempt(subject)
        if not verdict.allowed:
            raise TooManyRequests("Bạn đã nhập sai mã quá nhiều lần.", retry_after=verdict.retry_after_seconds)
        secret: bytes = await self.conn.fetchval(Q["get_secret"], meeting_id)
        opens, closes = codes.window(row["starts_at"], row["ends_at"])
        if not codes.verify(secret, data.code, observed_at, opens, closes):
            raise Unprocessable(
                "Mã điểm danh không đúng hoặc đã hết hạn.",
                errors=[FieldError(field="code", message="not valid at observed_at")],
            )
        await self.check_in_throttle.release(subject)
        await self.conn.execute(Q["record_check_in"], meeting_id, self.member_id, data.check_in_id, observed_at)
        return _check_in(await self.conn.fetchrow(Q["get_attendance"], meeting_id, self.member_id))

    async def mark(self, meeting_id: UUID, data: MarkAttendanceRequest) -> Attendance:
        """The secretary marks members present or absent by hand (members without a phone); their mark wins."""
        row = await self.managed_meeting(meeting_id)
        if row["status"] == "cancelled":
            raise Conflict("Buổi sinh hoạt đã bị hủy.")
        if self.now() < codes.window(row["starts_at"], row["ends_at"])[0]:
            raise Conflict("Buổi sinh hoạt chưa bắt đầu.")
        ids = [mark.member_id for mark in data.marks]
        members = {r["id"] for r in await self.conn.fetch(Q["members_of_branch"], ids, row["branch_id"])}
        errors = []
        for index, member_id in enumerate(ids):
            if member_id in ids[:index]:
                errors.append(FieldError(field=f"marks[{index}].member_id", message="listed twice"))
            elif member_id not in members:
                errors.append(FieldError(field=f"marks[{index}].member_id", message="not a member of this branch"))
        if errors:
            raise InvalidInput("Danh sách điểm danh không hợp lệ.", errors=errors)
        presents = [mark.present for mark in data.marks]
        for member_id in ids:
            self.changes_member(member_id)
        await self.conn.execute(Q["mark_attendance"], meeting_id, ids, presents, self.principal.account_id)
        await record(
            self.conn,
            self.ctx,
            "meeting_attendance_marked",
            target=f"meeting:{meeting_id}",
            unit_id=row["branch_id"],
            details={"present": presents.count(True), "absent": presents.count(False), "cleared": presents.count(None)},
        )
        return await self.roster(meeting_id)

    async def roster(self, meeting_id: UUID) -> Attendance:
        """Every active member of the branch (and anyone else who answered or came), with the counts."""
        row = await self.managed_meeting(meeting_id)
        members = [
            AttendanceRow(
                member_id=r["member_id"],
                full_name=r["full_name"],
                active=r["active"],
                rsvp=r["rsvp"],
                absence_id=r["absence_id"],
                absence_status=r["absence_status"],
                absence_reason=r["absence_reason"],
                observed_at=r["observed_at"],
                checked_in_at=r["checked_in_at"],
                marked=r["marked"],
                present=r["present"],
            )
            for r in await self.conn.fetch(Q["attendance_roster"], meeting_id, row["branch_id"])
        ]
        active = [m for m in members if m.active]
        count = attendance_count(
            len(active),
            sum(m.present for m in active),
            sum(m.absence_status == "approved" and not m.present for m in active),
        )
        return Attendance(meeting_id=meeting_id, count=count, members=members)

    # Helpers --------------------------------------------------------------------------------------

    def _require_open(self, row: Any) -> None:
        if row["status"] != "scheduled" or row["ends_at"] <= self.now():
            raise Conflict("Buổi sinh hoạt đã kết thúc hoặc đã bị hủy.")

    async def _own_absence(self, absence_id: UUID, meeting_id: UUID) -> Absence | None:
        """A request id seen before: the caller's own for this meeting (a replay), or a clash (409)."""
        row = await self.conn.fetchrow(Q["get_absence"], absence_id)
        if row is None:
            return None
        if row["member_id"] != self.member_id or row["meeting_id"] != meeting_id:
            raise Conflict("Mã đơn xin vắng này đã được dùng.")
        return _absence(row)


def _absence(row: Any) -> Absence:
    return Absence(
        id=row["id"],
        meeting_id=row["meeting_id"],
        member_id=row["member_id"],
        member_name=row["member_name"],
        reason=row["reason"],
        status=row["status"],
        requested_at=row["requested_at"],
        decided_at=row["decided_at"],
        decision_note=row["decision_note"],
    )


def _check_in(row: Any) -> CheckIn:
    return CheckIn(
        meeting_id=row["meeting_id"],
        member_id=row["member_id"],
        present=row["present"],
        observed_at=row["observed_at"],
        checked_in_at=row["checked_in_at"],
        marked=row["marked"],
    )
