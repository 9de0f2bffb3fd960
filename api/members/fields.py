"""One cell at a time: the rules, normal forms and messages of each column of the member file.

Every check either returns the cell's normal form or raises ``FieldError`` with a stable English
code and a Vietnamese message for the administrator reading the import report.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Final, Literal, NamedTuple

Gender = Literal["male", "female"]
Status = Literal["active", "transferred_out", "deceased", "removed"]


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
LABELS: Final = {column.field: column.label for column in COLUMNS}
HEADER_TO_FIELD: Final = {name: column.field for column in COLUMNS for name in (column.header, column.field)}

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
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")

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


def quote(value: str) -> str:
    # Values go into the admin's report; a cell of garbage must not flood it.
    return f"«{value[:40]}…»" if len(value) > 40 else f"«{value}»"


class FieldError(Exception):
    """Raised by a field check; becomes the row's RowError."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


def invalid(field: str, code: str, value: str = "", **extra: object) -> FieldError:
    message = ERROR_MESSAGES[code].format(label=LABELS[field], value=quote(value), **extra)
    return FieldError(field, code, message)


def required_cell(raw: str, field: str) -> str:
    if not raw:
        raise invalid(field, "missing_value")
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


def card_number_cell(raw: str) -> str:
    # str.translate is slow on non-ASCII tables; most cells are bare digits and skip the clean-up.
    digits = raw if raw.isdigit() else raw.replace(" ", "").replace(".", "").replace("-", "")
    if _CARD_NUMBER.fullmatch(digits) is None:
        error = invalid("card_number", "invalid_card_number")
        if _EXCEL_EXPONENT.fullmatch(raw):
            error.message += _EXCEL_HINT
        raise error
    return digits


def full_name_cell(raw: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    # isalpha() rather than a regex: \w would also let through digits such as "²" and "Ⅻ".
    letters = name.replace(" ", "")
    if not letters.isalpha():
        letters = letters.replace("'", "").replace("\u2019", "").replace("-", "")
    if not (2 <= len(name) <= MAX_NAME_LENGTH and letters.isalpha() and name[0].isalpha() and name[-1].isalpha()):
        raise invalid("full_name", "invalid_full_name")
    return name


def gender_cell(raw: str) -> Gender:
    gender = _GENDERS.get(unicodedata.normalize("NFC", raw).lower())
    if gender is None:
        raise invalid("gender", "invalid_gender", raw)
    return gender


def phone_cell(raw: str) -> str | None:
    if not raw:
        return None
    digits = raw if raw.isdigit() else _PHONE_NOISE.sub("", raw)
    if _PHONE_CHARS.fullmatch(digits) is None:
        raise invalid("phone", "invalid_phone", raw)
    if digits.startswith(("+84", "84")):
        # National numbers start with 0, so a leading 84 can only be the country code; "+84 (0) 912" happens.
        national = "0" + digits.removeprefix("+").removeprefix("84").removeprefix("0")
    elif digits.startswith("0"):
        national = digits
    else:
        raise invalid("phone", "invalid_phone", raw)
    if _PHONE.fullmatch(national) is None:
        raise invalid("phone", "invalid_phone", raw)
    return national


def email_cell(raw: str) -> str | None:
    if not raw:
        return None
    email = raw.lower()
    if len(email) > MAX_EMAIL_LENGTH or _EMAIL.fullmatch(email) is None:
        raise invalid("email", "invalid_email", raw)
    return email


def citizen_id_cell(raw: str) -> str | None:
    if not raw:
        return None
    digits = "".join(raw.split())
    if _CITIZEN_ID.fullmatch(digits) is None:
        error = invalid("citizen_id", "invalid_citizen_id")
        if _EXCEL_EXPONENT.fullmatch(raw):
            error.message += _EXCEL_HINT
        elif len(digits) == 11 and digits.isdigit():
            error.message += _LEADING_ZERO_HINT
        raise error
    return digits


def branch_code_cell(raw: str) -> str:
    code = raw.upper()
    if _BRANCH_CODE.fullmatch(code) is None:
        raise invalid("branch_code", "invalid_branch_code", raw)
    return code


def position_cell(raw: str) -> str:
    if not raw:
        return ""
    position = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(position) > MAX_POSITION_LENGTH or position.startswith(FORMULA_START):
        raise invalid("position", "invalid_position", raw)
    return position


def status_cell(raw: str) -> Status:
    if not raw:
        return "active"
    status = _STATUSES.get(raw) or _STATUS_FOLDED.get(_fold(raw))
    if status is None:
        raise invalid("status", "invalid_status", raw)
    return status
