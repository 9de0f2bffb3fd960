"""The member import file: CSV exports of the national member database (Cơ sở dữ liệu đảng viên 3.0).

Files are usually saved from Excel, so the reader accepts UTF-8 with or without a BOM, comma or
semicolon separators and any line ending. Every data row is validated and normalised into a
``MemberRow``; a bad row becomes one ``RowError`` (its first problem) and the rest of the file still
imports. Only a file that cannot be read at all raises ``ImportFileError``.

Messages are Vietnamese because the province administrator reads them; codes are stable English.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from datetime import date

import msgspec

from api.members.fields import (
    ADULT_AGE,
    COLUMNS,
    EARLIEST_BIRTH,
    ERROR_MESSAGES,
    FORMULA_START,
    GENDER_VI,
    HEADER_TO_FIELD,
    STATUS_VI,
    FieldError,
    Gender,
    Status,
    add_years,
    branch_code_cell,
    card_number_cell,
    citizen_id_cell,
    email_cell,
    format_date,
    full_name_cell,
    gender_cell,
    invalid,
    parse_date,
    phone_cell,
    position_cell,
    quote,
    required_cell,
    status_cell,
    vietnam_today,
)

__all__ = [
    "ImportFileError",
    "MemberRow",
    "ParseResult",
    "RowError",
    "parse_member_csv",
    "row_digest",
    "unknown_branch_error",
    "write_member_csv",
]


class MemberRow(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One valid, normalised member record from an import file.

    ``gc=False``: a province holds over 100,000 of these and they only reference strings and dates,
    so keeping them out of the cycle collector saves real time without any risk of leaks.
    """

    line: int
    card_number: str
    full_name: str
    date_of_birth: date
    gender: Gender
    phone: str | None = None
    email: str | None = None
    citizen_id: str | None = None
    joined_on: date
    official_on: date | None = None
    branch_code: str
    position: str = ""
    status: Status = "active"


class RowError(msgspec.Struct, frozen=True):
    """Why one data row was rejected: the first problem found on it."""

    line: int
    card_number: str | None
    field: str | None
    code: str
    message: str


class ParseResult(msgspec.Struct):
    """The outcome of reading a whole file: valid rows, rejected rows and the number of data rows."""

    rows: list[MemberRow]
    errors: list[RowError]
    total: int


class ImportFileError(Exception):
    """The whole file is unusable; nothing in it can be imported."""

    def __init__(self, code: str, message: str, *, columns: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # The header names concerned (missing or repeated columns), for callers that show them apart.
        self.columns = columns


class _RowParser:
    """Validates data rows one by one, remembering what earlier rows used."""

    def __init__(self, indexes: tuple[int, ...], width: int, today: date) -> None:
        self._indexes = indexes
        self._width = width
        self._today = today
        self._latest_birth = add_years(today, -ADULT_AGE)
        self._card_lines: dict[str, int] = {}
        self._citizen_id_lines: dict[str, int] = {}
        # Exports repeat the same dates endlessly; parsing each distinct text once is measurably faster.
        self._dates: dict[str, date] = {}

    def parse(self, cells: list[str], line: int) -> MemberRow | RowError:
        """Validate one data row; never raises for bad content."""
        card_index = self._indexes[0]
        raw_card = cells[card_index].strip() if card_index < len(cells) else ""
        if len(cells) != self._width:
            message = ERROR_MESSAGES["wrong_column_count"].format(found=len(cells), expected=self._width)
            return RowError(line, raw_card[:32] or None, None, "wrong_column_count", message)
        cells.append("")  # absent optional columns have index -1 and read this empty cell
        card: str | None = None
        try:
            card = card_number_cell(required_cell(raw_card, "card_number"))
            earlier = self._card_lines.setdefault(card, line)
            if earlier != line:
                raise invalid("card_number", "duplicate_card_number", earlier=earlier)
            return self._validate(cells, line, card)
        except FieldError as problem:
            return RowError(line, card or raw_card[:32] or None, problem.field, problem.code, problem.message)

    def _date(self, raw: str, field: str) -> date:
        day = self._dates.get(raw)
        if day is None:
            day = parse_date(required_cell(raw, field))
            if day is None:
                raise invalid(field, "invalid_date", raw)
            self._dates[raw] = day
        return day

    def _validate(self, cells: list[str], line: int, card: str) -> MemberRow:
        _, i_name, i_birth, i_gender, i_phone, i_email, i_citizen, i_joined, i_official, i_branch, i_pos, i_status = (
            self._indexes
        )
        today = self._today
        full_name = full_name_cell(required_cell(cells[i_name].strip(), "full_name"))
        born = self._date(cells[i_birth].strip(), "date_of_birth")
        if not EARLIEST_BIRTH <= born <= self._latest_birth:
            rule = f"phải từ {format_date(EARLIEST_BIRTH)} đến {format_date(self._latest_birth)} (đủ 18 tuổi)"
            raise invalid("date_of_birth", "implausible_date", rule=rule)
        gender = gender_cell(required_cell(cells[i_gender].strip(), "gender"))
        phone = phone_cell(cells[i_phone].strip())
        email = email_cell(cells[i_email].strip())
        citizen_id = citizen_id_cell(cells[i_citizen].strip())
        if citizen_id is not None:
            earlier = self._citizen_id_lines.setdefault(citizen_id, line)
            if earlier != line:
                raise invalid("citizen_id", "duplicate_citizen_id", earlier=earlier)
        joined = self._date(cells[i_joined].strip(), "joined_on")
        adult = add_years(born, ADULT_AGE)
        if not adult <= joined <= today:
            rule = f"phải từ ngày đủ 18 tuổi ({format_date(adult)}) đến hôm nay ({format_date(today)})"
            raise invalid("joined_on", "implausible_date", rule=rule)
        raw_official = cells[i_official].strip()
        official = self._date(raw_official, "official_on") if raw_official else None
        if official is not None and not joined < official <= today:
            rule = f"phải sau ngày vào Đảng ({format_date(joined)}) và không sau hôm nay ({format_date(today)})"
            raise invalid("official_on", "implausible_date", rule=rule)
        return MemberRow(
            line=line,
            card_number=card,
            full_name=full_name,
            date_of_birth=born,
            gender=gender,
            phone=phone,
            email=email,
            citizen_id=citizen_id,
            joined_on=joined,
            official_on=official,
            branch_code=branch_code_cell(required_cell(cells[i_branch].strip(), "branch_code")),
            position=position_cell(cells[i_pos].strip()),
            status=status_cell(cells[i_status].strip()),
        )


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "not_utf8",
            f"Tệp không phải mã UTF-8 (lỗi ở byte {exc.start}). Trong Excel hãy chọn Lưu thành > CSV UTF-8.",
        ) from exc
    if not text.strip():
        raise ImportFileError("empty_file", "Tệp rỗng, không có dòng tiêu đề và dữ liệu.")
    return text


def _delimiter(text: str) -> str:
    start = len(text) - len(text.lstrip("\r\n"))
    end = text.find("\n", start)
    header = text[start:] if end < 0 else text[start:end]
    return ";" if header.count(";") > header.count(",") else ","


def _normalise_header(cell: str) -> str:
    # Stray BOMs and zero-width spaces survive copy-pasting headers between spreadsheets.
    return "_".join(cell.replace("\ufeff", "").replace("\u200b", "").split()).lower()


def _column_indexes(header: list[str]) -> tuple[int, ...]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = HEADER_TO_FIELD.get(_normalise_header(cell))
        if field is None:
            continue  # exports carry extra columns we do not use
        if field in found:
            column = next(column for column in COLUMNS if column.field == field)
            raise ImportFileError(
                "duplicate_column",
                f"Cột {column.header} ({column.field}) xuất hiện hai lần trong dòng tiêu đề.",
                columns=(column.header,),
            )
        found[field] = index
    missing = [column for column in COLUMNS if column.required and column.field not in found]
    if missing:
        names = ", ".join(f"{column.header} ({column.field})" for column in missing)
        raise ImportFileError(
            "missing_columns",
            f"Thiếu cột bắt buộc: {names}.",
            columns=tuple(column.header for column in missing),
        )
    return tuple(found.get(column.field, -1) for column in COLUMNS)


def parse_member_csv(data: bytes, *, today: date | None = None, max_rows: int = 300_000) -> ParseResult:
    """Read and validate a member import file.

    Args:
        data: The raw file.
        today: The date plausibility checks are made against; defaults to today in Vietnam.
        max_rows: Refuse files with more data rows than this.

    Returns:
        The valid rows, one error per rejected row and the number of data rows (blank lines excluded).

    Raises:
        ImportFileError: The file is not UTF-8, is empty, lacks required columns, repeats a column,
            is not well-formed CSV or has more than ``max_rows`` rows.
    """
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[MemberRow] = []
    errors: list[RowError] = []
    total = 0
    try:
        header = next((cells for cells in reader if "".join(cells).strip()), None)
        if header is None:
            raise ImportFileError("empty_file", "Tệp rỗng, không có dòng tiêu đề và dữ liệu.")
        parser = _RowParser(_column_indexes(header), len(header), today or vietnam_today())
        previous_end = reader.line_num
        for cells in reader:
            # A quoted cell may span lines: a record starts on the line after the previous one ended.
            line = previous_end + 1
            previous_end = reader.line_num
            if not "".join(cells).strip():
                continue  # blank lines, and Excel's rows of bare separators
            total += 1
            if total > max_rows:
                limit = f"{max_rows:_}".replace("_", ".")  # Vietnamese groups thousands with dots
                raise ImportFileError("too_many_rows", f"Tệp có hơn {limit} dòng dữ liệu; hãy chia nhỏ tệp.")
            result = parser.parse(cells, line)
            if isinstance(result, MemberRow):
                rows.append(result)
            else:
                errors.append(result)
    except csv.Error as exc:
        raise ImportFileError("malformed_csv", f"Tệp CSV bị lỗi ở dòng {reader.line_num}: {exc}") from exc
    return ParseResult(rows=rows, errors=errors, total=total)


def unknown_branch_error(row: MemberRow) -> RowError:
    """The error for a row whose branch code names no org unit (found by the database side)."""
    message = ERROR_MESSAGES["unknown_branch"].format(value=quote(row.branch_code))
    return RowError(row.line, row.card_number, "branch_code", "unknown_branch", message)


def row_digest(row: MemberRow) -> bytes:
    """A 16-byte digest of the imported fields (not the line), to skip rows that did not change.

    The tuple starts with a format tag: adding a field later changes every digest on purpose, so the
    next import rewrites all rows once instead of missing the new field.
    """
    payload = msgspec.msgpack.encode(
        (
            "member/1",
            row.card_number,
            row.full_name,
            row.date_of_birth,
            row.gender,
            row.phone,
            row.email,
            row.citizen_id,
            row.joined_on,
            row.official_on,
            row.branch_code,
            row.position,
            row.status,
        )
    )
    return hashlib.blake2b(payload, digest_size=16).digest()


def _safe_cell(value: str) -> str:
    # Valid rows never start like a formula; rows built elsewhere might, and admins open these in Excel.
    return "'" + value if value.startswith(FORMULA_START) else value


def write_member_csv(rows: Iterable[MemberRow]) -> bytes:
    """Write rows in the canonical import format: comma separated UTF-8 with a BOM, CRLF, dd/mm/yyyy.

    The BOM makes Excel read the file as UTF-8; ``parse_member_csv`` gives back the same rows.

    Args:
        rows: The rows to write, in order.

    Returns:
        The file's bytes.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    writer.writerows(
        (
            row.card_number,
            _safe_cell(row.full_name),
            format_date(row.date_of_birth),
            GENDER_VI[row.gender],
            row.phone or "",
            _safe_cell(row.email or ""),
            row.citizen_id or "",
            format_date(row.joined_on),
            format_date(row.official_on) if row.official_on else "",
            row.branch_code,
            _safe_cell(row.position),
            STATUS_VI[row.status],
        )
        for row in rows
    )
    return out.getvalue().encode("utf-8")
