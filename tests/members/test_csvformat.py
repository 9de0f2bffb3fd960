"""The member import file format: every column rule, the file-level failures and the canonical writer."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, timedelta

import msgspec
import pytest

from api.members.csvformat import (
    ImportFileError,
    MemberRow,
    ParseResult,
    RowError,
    parse_member_csv,
    row_digest,
    unknown_branch_error,
    write_member_csv,
)
from api.members.fields import COLUMNS, add_years, vietnam_today

TODAY = date(2026, 11, 1)
FULLWIDTH_DIGITS = {ord("0") + digit: 0xFF10 + digit for digit in range(10)}
HEADER = [column.header for column in COLUMNS]
GOOD = {
    "so_the": "1234567890",
    "ho_ten": "Nguyễn Văn An",
    "ngay_sinh": "15/03/1980",
    "gioi_tinh": "Nam",
    "dien_thoai": "0912345678",
    "email": "an.nguyen@gmail.com",
    "so_cccd": "075080012345",
    "ngay_vao_dang": "19/05/2005",
    "ngay_chinh_thuc": "19/05/2006",
    "ma_chi_bo": "DN.001.01",
    "chuc_vu": "",
    "trang_thai": "Đang sinh hoạt",
}


def make_csv(
    rows: list[dict[str, str]] | list[list[str]],
    *,
    header: list[str] = HEADER,
    delimiter: str = ",",
    newline: str = "\r\n",
    bom: bool = False,
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def parse(data: bytes, *, max_rows: int = 300_000) -> ParseResult:
    return parse_member_csv(data, today=TODAY, max_rows=max_rows)


def parse_one(**changes: str) -> MemberRow | RowError:
    result = parse(make_csv([GOOD | changes]))
    assert result.total == 1
    assert len(result.rows) + len(result.errors) == 1
    return result.rows[0] if result.rows else result.errors[0]


def accepted(**changes: str) -> MemberRow:
    outcome = parse_one(**changes)
    assert isinstance(outcome, MemberRow), outcome
    return outcome


def rejected(**changes: str) -> RowError:
    outcome = parse_one(**changes)
    assert isinstance(outcome, RowError), outcome
    return outcome


# --- a good row --------------------------------------------------------------------------------------


def test_a_good_row_is_normalised_into_a_member_row() -> None:
    row = accepted()
    assert row == MemberRow(
        line=2,
        card_number="1234567890",
        full_name="Nguyễn Văn An",
        date_of_birth=date(1980, 3, 15),
        gender="male",
        phone="0912345678",
        email="an.nguyen@gmail.com",
        citizen_id="075080012345",
        joined_on=date(2005, 5, 19),
        official_on=date(2006, 5, 19),
        branch_code="DN.001.01",
        position="",
        status="active",
    )


def test_optional_cells_left_empty_take_their_defaults() -> None:
    row = accepted(dien_thoai="", email="", so_cccd="", ngay_chinh_thuc="", chuc_vu="", trang_thai="")
    assert (row.phone, row.email, row.citizen_id, row.official_on, row.position, row.status) == (
        None,
        None,
        None,
        None,
        "",
        "active",
    )


# --- one column at a time: a bad value is caught, a good one passes ------------------------------------


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("so_the", "card_number"),
        ("ho_ten", "full_name"),
        ("ngay_sinh", "date_of_birth"),
        ("gioi_tinh", "gender"),
        ("ngay_vao_dang", "joined_on"),
        ("ma_chi_bo", "branch_code"),
    ],
)
def test_a_required_cell_left_empty_is_a_missing_value(column: str, field: str) -> None:
    error = rejected(**{column: "   "})
    assert (error.field, error.code) == (field, "missing_value")
    assert error.message.startswith("Thiếu ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12345678", "12345678"), ("123456789012", "123456789012"), ("1234 5678 90", "1234567890"),
     ("12.345.678", "12345678"), ("12-345-678-90", "1234567890"), ("  00123456 ", "00123456")],
)  # fmt: skip
def test_card_numbers_lose_spaces_dots_and_dashes(raw: str, expected: str) -> None:
    assert accepted(so_the=raw).card_number == expected


@pytest.mark.parametrize(
    "raw", ["1234567", "1234567890123", "12345abc", "12_345_678", "١٢٣٤٥٦٧٨٩", "12/345/678", "+12345678", "1,2345678"]
)
def test_bad_card_numbers_are_rejected(raw: str) -> None:
    error = rejected(so_the=raw)
    assert (error.field, error.code) == ("card_number", "invalid_card_number")
    assert error.message == "Số thẻ đảng viên không hợp lệ (cần 8 đến 12 chữ số)"


def test_a_card_number_mangled_by_excel_gets_a_hint() -> None:
    error = rejected(so_the="1.23457E+11")
    assert error.code == "invalid_card_number"
    assert "số mũ" in error.message
    assert error.card_number == "1.23457E+11"  # the raw text, so the admin can find the row


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("  Trần   Thị\tBích  Ngọc ", "Trần Thị Bích Ngọc"),
        (unicodedata.normalize("NFD", "Phạm Thị Thủy"), "Phạm Thị Thủy"),
        ("Lê-Hoàng O'Neil", "Lê-Hoàng O'Neil"),
        ("Đỗ D\u2019Artagnan", "Đỗ D\u2019Artagnan"),
        ("Ân", "Ân"),
        ("Hồ " + "a" * 97, "Hồ " + "a" * 97),
    ],
)
def test_full_names_are_nfc_normalised_with_whitespace_collapsed(raw: str, expected: str) -> None:
    name = accepted(ho_ten=raw).full_name
    assert name == expected
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    "raw",
    ["A", "Nguyễn Văn 2", "Nguyễn_Văn", "Nguyễn Văn A²", "Nguyễn.Văn", "-An", "An'", "Trần (An)", "Hồ " + "a" * 98],
)
def test_bad_full_names_are_rejected(raw: str) -> None:
    error = rejected(ho_ten=raw)
    assert (error.field, error.code) == ("full_name", "invalid_full_name")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("15/03/1980", date(1980, 3, 15)), ("5/3/1980", date(1980, 3, 5)), ("1980-03-05", date(1980, 3, 5)),
     ("29/02/1980", date(1980, 2, 29)), ("01/01/1900", date(1900, 1, 1)), ("01/11/2008", date(2008, 11, 1))],
)  # fmt: skip
def test_dates_of_birth_in_all_three_formats(raw: str, expected: date) -> None:
    assert accepted(ngay_sinh=raw, ngay_vao_dang="01/11/2026", ngay_chinh_thuc="").date_of_birth == expected


@pytest.mark.parametrize(
    "raw", ["31/02/1980", "29/02/1981", "1980/03/15", "15-03-1980", "15/3/80", "1980-3-5", "15.03.1980", "ngày 15"]
)
def test_malformed_dates_are_invalid(raw: str) -> None:
    error = rejected(ngay_sinh=raw)
    assert (error.field, error.code) == ("date_of_birth", "invalid_date")
    assert raw in error.message


@pytest.mark.parametrize("raw", ["31/12/1899", "02/11/2008", "01/01/2030"])
def test_implausible_dates_of_birth_are_rejected(raw: str) -> None:
    # 02/11/2008 is one day short of 18 on TODAY (01/11/2026).
    error = rejected(ngay_sinh=raw, ngay_vao_dang="01/11/2026", ngay_chinh_thuc="")
    assert (error.field, error.code) == ("date_of_birth", "implausible_date")
    assert "18 tuổi" in error.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Nam", "male"), ("nam", "male"), ("NAM", "male"), ("male", "male"), ("M", "male"), ("m", "male"),
     ("Nữ", "female"), ("nữ", "female"), ("Nu", "female"), ("NỮ", "female"), ("female", "female"),
     ("F", "female"), (unicodedata.normalize("NFD", "Nữ"), "female")],
)  # fmt: skip
def test_gender_spellings(raw: str, expected: str) -> None:
    assert accepted(gioi_tinh=raw).gender == expected


@pytest.mark.parametrize("raw", ["X", "Nư", "nam nữ", "0", "khác"])
def test_unknown_genders_are_rejected(raw: str) -> None:
    error = rejected(gioi_tinh=raw)
    assert (error.field, error.code) == ("gender", "invalid_gender")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("091 234 5678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("091-234-5678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("0321234567", "0321234567"),
        ("0561234567", "0561234567"),
        ("0701234567", "0701234567"),
        ("0861234567", "0861234567"),
        ("0251 3822 123", "02513822123"),
        ("(0251) 3822123", "02513822123"),
        ("+84 251 3822 123", "02513822123"),
    ],
)
def test_phone_numbers_are_normalised_to_the_national_form(raw: str, expected: str) -> None:
    assert accepted(dien_thoai=raw).phone == expected


@pytest.mark.parametrize(
    "raw",
    ["091234567", "09123456789", "0112345678", "0412345678", "0612345678", "912345678", "0212345678",
     "025138221234", "+1 202 555 0100", "0912abc678", "0912+345678", "++84912345678", "٠٩١٢٣٤٥٦٧٨"],
)  # fmt: skip
def test_bad_phone_numbers_are_rejected(raw: str) -> None:
    error = rejected(dien_thoai=raw)
    assert (error.field, error.code) == ("phone", "invalid_phone")
    assert error.message.startswith("Số điện thoại không hợp lệ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("An.Nguyen@Gmail.COM", "an.nguyen@gmail.com"), ("a@b.vn", "a@b.vn"), ("x_y+tag@mail.dongnai.gov.vn",
     "x_y+tag@mail.dongnai.gov.vn"), ("u" * 64 + "@" + "d" * 185 + ".com", "u" * 64 + "@" + "d" * 185 + ".com")],
)  # fmt: skip
def test_emails_are_lowercased(raw: str, expected: str) -> None:
    assert accepted(email=raw).email == expected


@pytest.mark.parametrize(
    "raw",
    ["annguyen", "an@gmail", "an@@gmail.com", "a@b@c.com", "an nguyen@gmail.com", "an@gmail..com", "an@.gmail.com",
     "an@gmail.com.", "@gmail.com", "=cmd@evil.com", "u" * 64 + "@" + "d" * 186 + ".com"],
)  # fmt: skip
def test_bad_emails_are_rejected(raw: str) -> None:
    error = rejected(email=raw)
    assert (error.field, error.code) == ("email", "invalid_email")


@pytest.mark.parametrize(("raw", "expected"), [("075080012345", "075080012345"), ("075 080 012 345", "075080012345")])
def test_citizen_ids_are_twelve_digits(raw: str, expected: str) -> None:
    assert accepted(so_cccd=raw).citizen_id == expected


@pytest.mark.parametrize(
    "raw",
    ["07508001234", "0750800123456", "07508001234a", "075-080-012-345", "075080012345".translate(FULLWIDTH_DIGITS)],
)
def test_bad_citizen_ids_are_rejected(raw: str) -> None:
    error = rejected(so_cccd=raw)
    assert (error.field, error.code) == ("citizen_id", "invalid_citizen_id")


def test_citizen_ids_mangled_by_excel_get_hints() -> None:
    assert "số mũ" in rejected(so_cccd="7.5080E+10").message
    assert "số 0 ở đầu" in rejected(so_cccd="75080012345").message


def test_joining_on_the_eighteenth_birthday_and_on_today_is_plausible() -> None:
    assert accepted(ngay_sinh="29/02/1980", ngay_vao_dang="01/03/1998").joined_on == date(1998, 3, 1)
    assert accepted(ngay_vao_dang="01/11/2026", ngay_chinh_thuc="").joined_on == TODAY


@pytest.mark.parametrize(
    ("born", "joined"),
    [("15/03/1980", "14/03/1998"), ("29/02/1980", "28/02/1998"), ("15/03/1980", "02/11/2026")],
)
def test_joining_before_eighteen_or_in_the_future_is_implausible(born: str, joined: str) -> None:
    error = rejected(ngay_sinh=born, ngay_vao_dang=joined, ngay_chinh_thuc="")
    assert (error.field, error.code) == ("joined_on", "implausible_date")


def test_a_malformed_joining_date_is_invalid() -> None:
    error = rejected(ngay_vao_dang="19/13/2005")
    assert (error.field, error.code) == ("joined_on", "invalid_date")


@pytest.mark.parametrize(("raw", "expected"), [("20/05/2005", date(2005, 5, 20)), ("2026-11-01", TODAY), ("", None)])
def test_official_dates_after_joining_and_not_after_today(raw: str, expected: date | None) -> None:
    assert accepted(ngay_chinh_thuc=raw).official_on == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [("19/05/2005", "implausible_date"), ("18/05/2005", "implausible_date"), ("02/11/2026", "implausible_date"),
     ("2006-5-19", "invalid_date")],
)  # fmt: skip
def test_bad_official_dates_are_rejected(raw: str, code: str) -> None:
    error = rejected(ngay_chinh_thuc=raw)
    assert (error.field, error.code) == ("official_on", code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("DN.001.01", "DN.001.01"), ("dn.001.01", "DN.001.01"), ("X", "X"), ("0-A_B.c", "0-A_B.C"), ("A" * 32, "A" * 32)],
)
def test_branch_codes_are_uppercased(raw: str, expected: str) -> None:
    assert accepted(ma_chi_bo=raw).branch_code == expected


@pytest.mark.parametrize("raw", [".DN", "-DN", "DN 001", "DN/001", "ĐN.001", "A" * 33, "DN.001;drop"])
def test_bad_branch_codes_are_rejected(raw: str) -> None:
    error = rejected(ma_chi_bo=raw)
    assert (error.field, error.code) == ("branch_code", "invalid_branch_code")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Bí thư chi bộ", "Bí thư chi bộ"), (unicodedata.normalize("NFD", "Chi ủy viên"), "Chi ủy viên"),
     ("  Phó  Bí thư ", "Phó Bí thư"), ("x" * 100, "x" * 100), ('Bí thư, Trưởng ấp "Bình Lợi"',
     'Bí thư, Trưởng ấp "Bình Lợi"')],
)  # fmt: skip
def test_positions_are_free_text(raw: str, expected: str) -> None:
    assert accepted(chuc_vu=raw).position == expected


@pytest.mark.parametrize("raw", ["x" * 101, '=HYPERLINK("http://evil")', "+1", "-Bí thư", "@SUM(A1)"])
def test_overlong_or_formula_like_positions_are_rejected(raw: str) -> None:
    error = rejected(chuc_vu=raw)
    assert (error.field, error.code) == ("position", "invalid_position")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Đang sinh hoạt", "active"), ("đang sinh hoạt", "active"), ("Dang sinh hoat", "active"), ("ACTIVE", "active"),
     ("Chuyển đi", "transferred_out"), ("chuyen di", "transferred_out"), ("transferred_out", "transferred_out"),
     ("Từ trần", "deceased"), ("tu tran", "deceased"), ("deceased", "deceased"), ("Xóa tên", "removed"),
     ("Xoá tên", "removed"), ("xoa ten", "removed"), ("removed", "removed"), ("", "active"),
     (unicodedata.normalize("NFD", "Xóa tên"), "removed")],
)  # fmt: skip
def test_status_spellings(raw: str, expected: str) -> None:
    assert accepted(trang_thai=raw).status == expected


@pytest.mark.parametrize("raw", ["nghỉ hưu", "inactive", "chuyển"])
def test_unknown_statuses_are_rejected(raw: str) -> None:
    error = rejected(trang_thai=raw)
    assert (error.field, error.code) == ("status", "invalid_status")


# --- rows: numbering, column counts, duplicates -----------------------------------------------------


def test_every_bad_row_is_reported_once_and_good_rows_are_kept() -> None:
    rows = [
        GOOD,
        GOOD | {"so_the": "22222222", "so_cccd": "", "dien_thoai": "123", "email": "bad"},  # two problems
        GOOD | {"so_the": "33333333", "so_cccd": ""},
        GOOD | {"so_the": "44444444", "so_cccd": "", "gioi_tinh": "?"},
    ]
    result = parse(make_csv(rows))
    assert result.total == 4
    assert [row.line for row in result.rows] == [2, 4]
    assert [(error.line, error.card_number, error.field) for error in result.errors] == [
        (3, "22222222", "phone"),  # the first problem only
        (5, "44444444", "gender"),
    ]


def test_line_numbers_are_physical_lines_with_blank_and_multiline_rows() -> None:
    second = GOOD | {"so_the": "22222222", "so_cccd": "", "chuc_vu": "Bí thư\nchi bộ"}
    third = GOOD | {"so_the": "33333333", "so_cccd": "", "gioi_tinh": "?"}
    body = make_csv([GOOD, second, third]).decode()
    lines = body.split("\r\n")
    # header, blank, GOOD, a row of bare separators, the two-line row, blank, the bad row
    text = "\r\n".join([lines[0], "", lines[1], ",,,,,,,,,,,", lines[2], "  ", lines[3], ""])
    result = parse(text.encode())
    assert result.total == 3
    assert [row.line for row in result.rows] == [3, 5]
    assert result.rows[1].position == "Bí thư chi bộ"  # whitespace in free text collapses to one space
    assert [error.line for error in result.errors] == [8]


@pytest.mark.parametrize("cells", [HEADER[:-1], [*HEADER, "extra"]])
def test_rows_with_too_few_or_too_many_cells_are_rejected(cells: list[str]) -> None:
    row = [GOOD.get(name, "x") for name in cells]
    result = parse(make_csv([row]))
    assert result.rows == []
    [error] = result.errors
    assert (error.line, error.card_number, error.field, error.code) == (2, "1234567890", None, "wrong_column_count")
    assert str(len(cells)) in error.message
    assert str(len(HEADER)) in error.message


def test_a_repeated_card_number_is_an_error_naming_the_earlier_line() -> None:
    rows = [GOOD, GOOD | {"so_the": "22222222", "so_cccd": ""}, GOOD | {"so_the": "12345 67890", "so_cccd": ""}]
    result = parse(make_csv(rows))
    assert [row.line for row in result.rows] == [2, 3]
    [error] = result.errors
    assert (error.line, error.card_number, error.field, error.code) == (
        4,
        "1234567890",
        "card_number",
        "duplicate_card_number",
    )
    assert "dòng 2" in error.message


def test_a_card_number_is_taken_even_by_a_row_rejected_for_another_reason() -> None:
    rows = [GOOD | {"dien_thoai": "123"}, GOOD | {"so_cccd": ""}]
    result = parse(make_csv(rows))
    assert [(error.line, error.code) for error in result.errors] == [
        (2, "invalid_phone"),
        (3, "duplicate_card_number"),
    ]


def test_a_repeated_citizen_id_is_an_error_naming_the_earlier_line() -> None:
    rows = [GOOD, GOOD | {"so_the": "22222222", "so_cccd": "075 080 012 345"}]
    result = parse(make_csv(rows))
    [error] = result.errors
    assert (error.line, error.card_number, error.field, error.code) == (
        3,
        "22222222",
        "citizen_id",
        "duplicate_citizen_id",
    )
    assert "dòng 2" in error.message


# --- headers and file shapes --------------------------------------------------------------------------


def test_english_aliases_any_case_any_order_and_extra_columns() -> None:
    header = ["STT", " Full_Name ", "CARD_NUMBER", "Date_Of_Birth", "gender", "joined_on", "Branch_Code", "ghi_chu"]
    row = ["1", "Lê Thị Hoa", "87654321", "1990-01-02", "Nữ", "2015-06-07", "dn.002.03", "ghi chú"]
    result = parse(make_csv([row], header=header))
    [member] = result.rows
    assert member == MemberRow(
        line=2,
        card_number="87654321",
        full_name="Lê Thị Hoa",
        date_of_birth=date(1990, 1, 2),
        gender="female",
        joined_on=date(2015, 6, 7),
        branch_code="DN.002.03",
    )


def test_a_bom_semicolon_crlf_file_from_excel() -> None:
    data = make_csv([GOOD, GOOD | {"so_the": "22222222", "so_cccd": ""}], delimiter=";", newline="\r\n", bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b";" in data
    assert b"\r\n" in data
    result = parse(data)
    assert result.errors == []
    assert [row.card_number for row in result.rows] == ["1234567890", "22222222"]
    assert result.rows[0] == accepted()


@pytest.mark.parametrize("newline", ["\n", "\r"])
def test_lf_and_old_mac_line_endings(newline: str) -> None:
    result = parse(make_csv([GOOD, GOOD | {"so_the": "22222222", "so_cccd": ""}], newline=newline))
    assert [row.line for row in result.rows] == [2, 3]


def test_a_semicolon_file_may_have_commas_inside_cells() -> None:
    result = parse(make_csv([GOOD | {"chuc_vu": "Bí thư, kiêm trưởng ấp"}], delimiter=";"))
    assert result.rows[0].position == "Bí thư, kiêm trưởng ấp"


def test_invalid_utf8_makes_the_file_unusable() -> None:
    # Saved as Windows-1252 ("CSV (Comma delimited)" in Excel): "ê" and "à" become single bytes.
    data = make_csv([GOOD | {"ho_ten": "Lê Hà", "trang_thai": "active"}]).decode().encode("cp1252")
    with pytest.raises(ImportFileError) as caught:
        parse(data)
    assert caught.value.code == "not_utf8"
    assert "UTF-8" in caught.value.message


def test_a_utf16_file_from_excel_unicode_text_is_refused() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse(make_csv([GOOD]).decode().encode("utf-16"))
    assert caught.value.code == "not_utf8"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n", b",,,\r\n,,\r\n"])
def test_an_empty_file_is_unusable(data: bytes) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse(data)
    assert caught.value.code == "empty_file"


def test_missing_required_columns_are_named() -> None:
    header = [name for name in HEADER if name not in {"so_the", "ngay_sinh", "dien_thoai"}]
    with pytest.raises(ImportFileError) as caught:
        parse(make_csv([GOOD], header=header))
    error = caught.value
    assert error.code == "missing_columns"
    assert error.columns == ("so_the", "ngay_sinh")
    assert "so_the (card_number)" in error.message
    assert "ngay_sinh (date_of_birth)" in error.message
    assert "dien_thoai" not in error.message  # optional


def test_a_header_only_file_has_no_rows() -> None:
    assert parse(make_csv([])) == ParseResult(rows=[], errors=[], total=0)


def test_a_column_given_twice_is_refused() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse(make_csv([[*GOOD.values(), "1"]], header=[*HEADER, "Card_Number"]))
    assert caught.value.code == "duplicate_column"
    assert caught.value.columns == ("so_the",)


def test_more_than_max_rows_is_refused() -> None:
    rows = [GOOD | {"so_the": f"{number:08d}", "so_cccd": ""} for number in range(3)]
    assert parse(make_csv(rows[:2]), max_rows=2).total == 2
    with pytest.raises(ImportFileError) as caught:
        parse(make_csv(rows), max_rows=2)
    assert caught.value.code == "too_many_rows"


def test_malformed_csv_is_refused() -> None:
    data = make_csv([GOOD | {"chuc_vu": "x" * 200_000}])  # beyond the csv module's field size limit
    with pytest.raises(ImportFileError) as caught:
        parse(data)
    assert caught.value.code == "malformed_csv"


def test_today_defaults_to_the_date_in_vietnam() -> None:
    assert abs((vietnam_today() - date.today()).days) <= 1  # noqa: DTZ011 -- comparing with the local date
    soon = vietnam_today() + timedelta(days=2)
    result = parse_member_csv(make_csv([GOOD | {"ngay_vao_dang": soon.isoformat(), "ngay_chinh_thuc": ""}]))
    assert [error.code for error in result.errors] == ["implausible_date"]


# --- dates, digests, errors for the database side --------------------------------------------------------


def test_add_years_counts_ages_from_the_29th_of_february() -> None:
    assert add_years(date(2004, 2, 29), 18) == date(2022, 3, 1)
    assert add_years(date(2024, 2, 29), -18) == date(2006, 2, 28)
    assert add_years(date(2004, 2, 29), 20) == date(2024, 2, 29)
    start = date(2003, 1, 1)
    for born in (start + timedelta(days=offset) for offset in range(3 * 366)):
        for today in (date(2021, 2, 28), date(2021, 3, 1), date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)):
            assert (add_years(born, 18) <= today) == (born <= add_years(today, -18))


def test_row_digest_covers_every_imported_field_but_not_the_line() -> None:
    row = accepted()
    digest = row_digest(row)
    assert len(digest) == 16
    assert row_digest(msgspec.structs.replace(row, line=99)) == digest
    changes: dict[str, object] = {
        "card_number": "99999999",
        "full_name": "Nguyễn Văn Bình",
        "date_of_birth": date(1980, 3, 16),
        "gender": "female",
        "phone": None,
        "email": None,
        "citizen_id": None,
        "joined_on": date(2005, 5, 20),
        "official_on": None,
        "branch_code": "DN.001.02",
        "position": "Chi ủy viên",
        "status": "removed",
    }
    assert set(changes) == {field for field in MemberRow.__struct_fields__ if field != "line"}
    digests = {row_digest(msgspec.structs.replace(row, **{field: value})) for field, value in changes.items()}
    assert len(digests) == len(changes)
    assert digest not in digests
    # A value moving between neighbouring fields must not give the same digest.
    assert row_digest(msgspec.structs.replace(row, phone=None, email="0912345678")) != row_digest(
        msgspec.structs.replace(row, phone="0912345678", email=None)
    )


def test_unknown_branch_error_for_the_database_side() -> None:
    error = unknown_branch_error(accepted(ma_chi_bo="dn.404"))
    assert error == RowError(2, "1234567890", "branch_code", "unknown_branch", error.message)
    assert "«DN.404»" in error.message


# --- the canonical writer -------------------------------------------------------------------------------


def test_write_member_csv_writes_the_canonical_format() -> None:
    data = write_member_csv([accepted(gioi_tinh="female", trang_thai="xoa ten")])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    cells = ["1234567890", "Nguyễn Văn An", "15/03/1980", "Nữ", "0912345678", "an.nguyen@gmail.com", "075080012345",
             "19/05/2005", "19/05/2006", "DN.001.01", "", "Xóa tên"]  # fmt: skip
    assert text.split("\r\n") == [",".join(HEADER), ",".join(cells), ""]


def test_write_then_parse_gives_the_same_rows() -> None:
    rows = [
        accepted(),
        MemberRow(
            line=3,
            card_number="00012345",
            full_name="Trần Thị Thu-Hà O'Neil",
            date_of_birth=date(1900, 1, 1),
            gender="female",
            joined_on=date(1930, 2, 3),
            branch_code="DN.002",
            position='Bí thư, "kiêm" trưởng ấp',
            status="deceased",
        ),
        MemberRow(
            line=4,
            card_number="123456789012",
            full_name="Võ Minh",
            date_of_birth=date(2008, 11, 1),
            gender="male",
            phone="02513822123",
            joined_on=TODAY,
            branch_code="X",
            status="transferred_out",
        ),
    ]
    result = parse(write_member_csv(rows))
    assert result.errors == []
    assert result.rows == rows


def test_the_writer_defuses_formulas_in_rows_built_elsewhere() -> None:
    row = msgspec.structs.replace(accepted(), position="=1+2", email="@evil.com")
    text = write_member_csv([row]).decode("utf-8-sig")
    assert ",'@evil.com," in text
    assert ",'=1+2," in text
