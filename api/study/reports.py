"""Study reports: completion per branch and commune at any scale, names only within one's own branches,
and the same figures as CSV for Excel (UTF-8 with a byte-order mark, so Vietnamese shows correctly)."""

from __future__ import annotations

import csv
import io
from typing import Any

import msgspec

from api.auth.principal import BRANCH_LEADERS, REGISTER_READERS, Principal
from api.db import Connection
from api.sql import queries_beside
from api.study.schemas import MemberProgressRow, StudyReport, UnitProgress
from api.study.scoring import percent

Q = queries_beside(__file__)
HEADER = (
    "cap",
    "ma_don_vi",
    "ten_don_vi",
    "so_dang_vien",
    "da_hoan_thanh",
    "ty_le_hoan_thanh",
    "diem_tot_nhat_trung_binh",
    "qua_han",
    "ty_le_qua_han",
)
LEVELS = {"total": "Tổng", "commune": "Xã/phường", "branch": "Chi bộ"}


async def build_report(conn: Connection, principal: Principal, program: Any) -> StudyReport:
    """The report of a program the caller may see, counted in SQL over the members in the caller's scope."""
    rows = await conn.fetch(Q["report_units"], program["id"], principal.units_for(REGISTER_READERS))
    units: dict[str, list[UnitProgress]] = {"total": [], "commune": [], "branch": []}
    for row in rows:
        units[row["level"]].append(_unit_progress(row))
    leaders = principal.units_for(BRANCH_LEADERS)
    members = await conn.fetch(Q["report_members"], program["id"], leaders) if leaders else []
    return StudyReport(
        program_id=program["id"],
        title=program["title"],
        due_at=program["due_at"],
        total=units["total"][0],
        communes=units["commune"] if len(units["commune"]) > 1 else [],
        branches=units["branch"],
        members=[msgspec.convert(dict(row), MemberProgressRow) for row in members],
    )


def report_csv(report: StudyReport) -> bytes:
    """One row per level and unit (total, communes, branches); cells that a spreadsheet could run as a
    formula are prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    rows = [("total", report.total)]
    rows += [("commune", unit) for unit in report.communes] + [("branch", unit) for unit in report.branches]
    for level, unit in rows:
        writer.writerow(_csv_row(LEVELS[level], unit))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _unit_progress(row: Any) -> UnitProgress:
    average = row["average_best_score"]
    return UnitProgress(
        unit_id=row["unit_id"],
        code=row["code"],
        name=row["name"],
        assigned=row["assigned"],
        completed=row["completed"],
        completion_percent=percent(row["completed"], row["assigned"]),
        average_best_score=None if average is None else round(float(average), 1),
        overdue=row["overdue"],
        overdue_percent=percent(row["overdue"], row["assigned"]),
    )


def _csv_row(level: str, unit: UnitProgress) -> list[str]:
    average = "" if unit.average_best_score is None else f"{unit.average_best_score:.1f}"
    return [
        level,
        _safe(unit.code),
        _safe(unit.name),
        str(unit.assigned),
        str(unit.completed),
        f"{unit.completion_percent:.1f}",
        average,
        str(unit.overdue),
        f"{unit.overdue_percent:.1f}",
    ]


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
