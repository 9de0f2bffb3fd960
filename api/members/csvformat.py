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
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Final, Literal, NamedTuple

import msgspec

Gender = Literal["male", "female"]
Status = Literal["active", "transferred_out", "deceased", "removed"]


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


class Column(NamedTuple):
    """One column of the file format."""

    field: str  # English field name, also accepted as a header alias
    header: str  # the Vietnamese header written by the national database
    label: str  # how the column is named in messages
    required: bool


COLUMNS: Final[tuple[Column, ...]] = (
    Column("card_number", "so_the", "Số thẻ đảng viên", required=True),
    Column("full_name", "ho_ten", "Họ và tên", required=True),
    Column("date_of_birth", "ngay_sinh", "Ngày sinh", required=True),
    Column("gender", "gioi_tinh", "Giới tính", required=True),
    Column("phone", "dien_thoai", "Số điện thoại", required=False),
    Column("email", "email", "Email", required=False),
    Column("citizen_id", "so_cccd", "Số CCCD", required=False),
    Column("joined_on", "ngay_vao_dang", "Ngày vào Đảng", required=True),
    Column("official_on", "ngay_chinh_thuc", "Ngày chính thức", required=False),
    Column("branch_code", "ma_chi_bo", "Mã chi bộ", required=True),
    Column("position", "chuc_vu", "Chức vụ", required=False),
    Column("status", "trang_thai", "Trạng thái", required=False),
)
_LABELS: Final = {column.field: column.label for column in COLUMNS}
_HEADER_TO_FIELD: Final = {name: column.field for column in COLUMNS for name in (column.header, column.field)}

EARLIEST_BIRTH: Final = date(1900, 1, 1)
ADULT_AGE: Final = 18
MAX_NAME_LENGTH: Final = 100
MAX_POSITION_LENGTH: Final = 100
MAX_EMAIL_LENGTH: Final = 254

GENDER_VI: Final[dict[Gender, str]] = {"male": "Nam", "female": "Nữ"}
STATUS_VI: Final[dict[Status, str]] = {
    "active": "Đang sinh hoạt",
    "transferred_out": "Chuyển đi",
    "deceased": "Từ trần",
    "removed": "Xóa tên",
}
# Gender words are matched exactly (after NFC and lowercasing): a stray accent is more likely a typo.
_GENDERS: Final[dict[str, Gender]] = {
    "nam": "male",
    "male": "male",
    "m": "male",
    "nữ": "female",
    "nu": "female",
    "female": "female",
    "f": "female",
}
# Keys are diacritic-folded and lowercased (see _fold); the exact canonical spellings hit _STATUSES first.
_STATUS_FOLDED: Final[dict[str, Status]] = {
    "dang sinh hoat": "active",
    "active": "active",
    "chuyen di": "transferred_out",
    "transferred_out": "transferred_out",
    "transferred out": "transferred_out",
    "tu tran": "deceased",
    "deceased": "deceased",
    "xoa ten": "removed",
    "removed": "removed",
}
_STATUSES: Final[dict[str, Status]] = {text: status for status, text in STATUS_VI.items()}

# Regexes use [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits.
_CARD_NUMBER = re.compile(r"[0-9]{8,12}")
_CITIZEN_ID = re.compile(r"[0-9]{12}")
_PHONE = re.compile(r"0[35789][0-9]{8}|02[0-9]{9}")
_PHONE_CHARS = re.compile(r"\+?[0-9]*")
_EMAIL = re.compile(r"\w[^@\s]*@[^@\s.]+(?:\.[^@\s.]+)+")
_BRANCH_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Excel turns long digit strings into numbers and saves them as 1.23457E+11.
_EXCEL_EXPONENT = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE]\+[0-9]+")

_PHONE_NOISE = re.compile(r"[\s.()-]+")
# A cell starting with one of these runs as a formula when the file is opened in a spreadsheet.
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")

_VIETNAM_TIME: Final = timezone(timedelta(hours=7), "ICT")

ERROR_MESSAGES: Final[dict[str, str]] = {
    "missing_value": "Thiếu {label}",
    "wrong_column_count": "Dòng có {found} ô nhưng dòng tiêu đề có {expected} cột",
    "invalid_card_number": "Số thẻ đảng viên không hợp lệ (cần 8 đến 12 chữ số)",
    "invalid_full_name": "Họ và tên không hợp lệ (2 đến 100 ký tự; chỉ gồm chữ cái, khoảng trắng, dấu nháy, gạch nối)",
    "invalid_date": "{label} không hợp lệ: {value} (dùng dạng dd/mm/yyyy hoặc yyyy-mm-dd)",
    "implausible_date": "{label} không hợp lý: {rule}",
    "invalid_gender": "Giới tính không hợp lệ: {value} (dùng Nam hoặc Nữ)",
    "invalid_phone": "Số điện thoại không hợp lệ: {value}",
    "invalid_email": "Email không hợp lệ: {value}",
    "invalid_citizen_id": "Số CCCD không hợp lệ (cần đúng 12 chữ số)",
    "invalid_branch_code": "Mã chi bộ không hợp lệ: {value}",
    "invalid_position": "Chức vụ không hợp lệ (tối đa 100 ký tự, không bắt đầu bằng = + - @)",
    "invalid_status": "Trạng thái không hợp lệ: {value} (dùng Đang sinh hoạt, Chuyển đi, Từ trần hoặc Xóa tên)",
    "duplicate_card_number": "Số thẻ đảng viên trùng với dòng {earlier}",
    "duplicate_citizen_id": "Số CCCD trùng với dòng {earlier}",
    "unknown_branch": "Mã chi bộ {value} chưa có trong hệ thống",
}
_EXCEL_HINT: Final = "; Excel đã đổi số này sang dạng số mũ, hãy định dạng cột là Văn bản (Text) rồi xuất lại"
_LEADING_ZERO_HINT: Final = "; có thể Excel đã bỏ số 0 ở đầu, hãy định dạng cột là Văn bản (Text)"


def _quote(value: str) -> str:
    # Values go into the admin's report; a cell of garbage must not flood it.
    return f"«{value[:40]}…»" if len(value) > 40 else f"«{value}»"


class _FieldError(Exception):
    """Raised by a field check; becomes the row's RowError."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


def _invalid(field: str, code: str, value: str = "", **extra: object) -> _FieldError:
    message = ERROR_MESSAGES[code].format(label=_LABELS[field], value=_quote(value), **extra)
    return _FieldError(field, code, message)


def _required(raw: str, field: str) -> str:
    if not raw:
        raise _invalid(field, "missing_value")
    return raw


def add_years(day: date, years: int) -> date:
    """Shift a date by whole years, the way ages are counted.

    A 29 February moves to 1 March going forward and to 28 February going back, so that
    ``add_years(d, n) <= t`` holds exactly when ``d <= add_years(t, -n)``.

    Args:
        day: The date to shift.
        years: How many years; negative goes back.

    Returns:
        The shifted date.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1) if years > 0 else date(day.year + years, 2, 28)


def vietnam_today() -> date:
    """Today's date in Vietnam (UTC+7, no daylight saving), whatever the server's time zone."""
    return datetime.now(_VIETNAM_TIME).date()


def format_date(day: date) -> str:
    """Format a date the way the national database writes it: dd/mm/yyyy."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_date(raw: str) -> date | None:
    """Read dd/mm/yyyy, d/m/yyyy or ISO yyyy-mm-dd; None when the text is not a real date."""
    match = _DMY.fullmatch(raw)
    if match is not None:
        day, month, year = match.groups()
    else:
        match = _ISO.fullmatch(raw)
        if match is None:
            return None
        year, month, day = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _fold(text: str) -> str:
    # Diacritics are typed inconsistently (xóa / xoá / xoa), so lookups compare the bare letters.
    decomposed = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _card_number(raw: str) -> str:
    # str.translate is slow on non-ASCII tables; most cells are bare digits and skip the clean-up.
    digits = raw if raw.isdigit() else raw.replace(" ", "").replace(".", "").replace("-", "")
    if _CARD_NUMBER.fullmatch(digits) is None:
        error = _invalid("card_number", "invalid_card_number")
        if _EXCEL_EXPONENT.fullmatch(raw):
            error.message += _EXCEL_HINT
        raise error
    return digits


def _full_name(raw: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    # isalpha() rather than a regex: \w would also let through digits such as "²" and "Ⅻ".
    letters = name.replace(" ", "")
    if not letters.isalpha():
        letters = letters.replace("'", "").replace("\u2019", "").replace("-", "")
    if not (2 <= len(name) <= MAX_NAME_LENGTH and letters.isalpha() and name[0].isalpha() and name[-1].isalpha()):
        raise _invalid("full_name", "invalid_full_name")
    return name


def _gender(raw: str) -> Gender:
    gender = _GENDERS.get(unicodedata.normalize("NFC", raw).lower())
    if gender is None:
        raise _invalid("gender", "invalid_gender", raw)
    return gender


def _phone(raw: str) -> str | None:
    if not raw:
        return None
    digits = raw if raw.isdigit() else _PHONE_NOISE.sub("", raw)
    if _PHONE_CHARS.fullmatch(digits) is None:
        raise _invalid("phone", "invalid_phone", raw)
    if digits.startswith(("+84", "84")):
        # National numbers start with 0, so a leading 84 can only be the country code; "+84 (0) 912" happens.
        national = "0" + digits.removeprefix("+").removeprefix("84").removeprefix("0")
    elif digits.startswith("0"):
        national = digits
    else:
        raise _invalid("phone", "invalid_phone", raw)
    if _PHONE.fullmatch(national) is None:
        raise _invalid("phone", "invalid_phone", raw)
    return national


def _email(raw: str) -> str | None:
    if not raw:
        return None
    email = raw.lower()
    if len(email) > MAX_EMAIL_LENGTH or _EMAIL.fullmatch(email) is None:
        raise _invalid("email", "invalid_email", raw)
    return email


def _citizen_id(raw: str) -> str | None:
    if not raw:
        return None
    digits = "".join(raw.split())
    if _CITIZEN_ID.fullmatch(digits) is None:
        error = _invalid("citizen_id", "invalid_citizen_id")
        if _EXCEL_EXPONENT.fullmatch(raw):
            error.message += _EXCEL_HINT
        elif len(digits) == 11 and digits.isdigit():
            error.message += _LEADING_ZERO_HINT
        raise error
    return digits


def _branch_code(raw: str) -> str:
    code = raw.upper()
    if _BRANCH_CODE.fullmatch(code) is None:
        raise _invalid("branch_code", "invalid_branch_code", raw)
    return code


def _position(raw: str) -> str:
    if not raw:
        return ""
    position = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(position) > MAX_POSITION_LENGTH or position.startswith(_FORMULA_START):
        raise _invalid("position", "invalid_position", raw)
    return position


def _status(raw: str) -> Status:
    if not raw:
        return "active"
    status = _STATUSES.get(raw) or _STATUS_FOLDED.get(_fold(raw))
    if status is None:
        raise _invalid("status", "invalid_status", raw)
    return status


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
            card = _card_number(_required(raw_card, "card_number"))
            earlier = self._card_lines.setdefault(card, line)
            if earlier != line:
                raise _invalid("card_number", "duplicate_card_number", earlier=earlier)
            return self._validate(cells, line, card)
        except _FieldError as problem:
            return RowError(line, card or raw_card[:32] or None, problem.field, problem.code, problem.message)

    def _date(self, raw: str, field: str) -> date:
        day = self._dates.get(raw)
        if day is None:
            day = parse_date(_required(raw, field))
            if day is None:
                raise _invalid(field, "invalid_date", raw)
            self._dates[raw] = day
        return day

    def _validate(self, cells: list[str], line: int, card: str) -> MemberRow:
        _, i_name, i_birth, i_gender, i_phone, i_email, i_citizen, i_joined, i_official, i_branch, i_pos, i_status = (
            self._indexes
        )
        today = self._today
        full_name = _full_name(_required(cells[i_name].strip(), "full_name"))
        born = self._date(cells[i_birth].strip(), "date_of_birth")
        if not EARLIEST_BIRTH <= born <= self._latest_birth:
            rule = f"phải từ {format_date(EARLIEST_BIRTH)} đến {format_date(self._latest_birth)} (đủ 18 tuổi)"
            raise _invalid("date_of_birth", "implausible_date", rule=rule)
        gender = _gender(_required(cells[i_gender].strip(), "gender"))
        phone = _phone(cells[i_phone].strip())
        email = _email(cells[i_email].strip())
        citizen_id = _citizen_id(cells[i_citizen].strip())
        if citizen_id is not None:
            earlier = self._citizen_id_lines.setdefault(citizen_id, line)
            if earlier != line:
                raise _invalid("citizen_id", "duplicate_citizen_id", earlier=earlier)
        joined = self._date(cells[i_joined].strip(), "joined_on")
        adult = add_years(born, ADULT_AGE)
        if not adult <= joined <= today:
            rule = f"phải từ ngày đủ 18 tuổi ({format_date(adult)}) đến hôm nay ({format_date(today)})"
            raise _invalid("joined_on", "implausible_date", rule=rule)
        raw_official = cells[i_official].strip()
        official = self._date(raw_official, "official_on") if raw_official else None
        if official is not None and not joined < official <= today:
            rule = f"phải sau ngày vào Đảng ({format_date(joined)}) và không sau hôm nay ({format_date(today)})"
            raise _invalid("official_on", "implausible_date", rule=rule)
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
            branch_code=_branch_code(_required(cells[i_branch].strip(), "branch_code")),
            position=_position(cells[i_pos].strip()),
            status=_status(cells[i_status].strip()),
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
        field = _HEADER_TO_FIELD.get(_normalise_header(cell))
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
    message = ERROR_MESSAGES["unknown_branch"].format(value=_quote(row.branch_code))
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
    return "'" + value if value.startswith(_FORMULA_START) else value


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
