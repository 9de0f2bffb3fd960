"""A deterministic synthetic province shaped like Dong Nai after the 2025 merger.

Demos, tests and benchmarks need a realistic tree and member register without touching real personal
data: 95 communes and wards, about 3,000 branches of 10 to 90 members, Vietnamese names with realistic
family-name frequencies. Everything comes from one ``random.Random(seed)``, so the same arguments
always give the same province, and every generated member passes ``parse_member_csv``.
"""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import date, timedelta
from typing import Final, Literal

import msgspec

from api.members.csvformat import MemberRow
from api.members.fields import ADULT_AGE, Status, add_years

UnitKind = Literal["province", "commune", "branch"]


class SyntheticUnit(msgspec.Struct, frozen=True):
    """One org unit of the synthetic tree."""

    code: str
    name: str
    kind: UnitKind
    parent_code: str | None


class SyntheticProvince(msgspec.Struct, frozen=True):
    """The tree (parents before children) and the member register, as an import file would list it."""

    units: list[SyntheticUnit]
    members: list[MemberRow]


PROVINCE_CODE: Final = "DN"
PROVINCE_NAME: Final = "Đảng bộ tỉnh Đồng Nai"
MAX_COMMUNES: Final = 95
MEMBERS_PER_COMMUNE: Final = 1379  # 131,000 / 95
MEMBERS_PER_BRANCH: Final = 44
CITIZEN_ID_PROVINCE: Final = "075"  # Dong Nai's place-of-birth code on citizen identity cards

SECRETARY: Final = "Bí thư chi bộ"
DEPUTY: Final = "Phó Bí thư chi bộ"
COMMITTEE_MEMBER: Final = "Chi ủy viên"

# The 23 wards and 72 communes of the merged province (Đồng Nai and Bình Phước).
_WARDS: Final = (
    "Biên Hòa", "Trấn Biên", "Tam Hiệp", "Long Bình", "Trảng Dài", "Hố Nai", "Long Hưng", "Bình Lộc",
    "Bảo Vinh", "Xuân Lập", "Long Khánh", "Hàng Gòn", "Tân Triều", "Phước Tân", "Tam Phước", "Bình Phước",
    "Đồng Xoài", "Phước Long", "Phước Bình", "An Lộc", "Bình Long", "Chơn Thành", "Minh Hưng",
)  # fmt: skip
_COMMUNES: Final = (
    "Long Thành", "An Phước", "Bình An", "Long Phước", "Phước Thái", "Nhơn Trạch", "Đại Phước", "Phước An",
    "An Viễn", "Bình Minh", "Trảng Bom", "Bàu Hàm", "Hưng Thịnh", "Dầu Giây", "Gia Kiệm", "Thống Nhất",
    "Xuân Đường", "Xuân Đông", "Xuân Định", "Xuân Phú", "Xuân Lộc", "Xuân Hòa", "Xuân Thành", "Xuân Bắc",
    "La Ngà", "Định Quán", "Phú Vinh", "Phú Hòa", "Tà Lài", "Nam Cát Tiên", "Tân Phú", "Phú Lâm",
    "Trị An", "Tân An", "Phú Lý", "Sông Ray", "Cẩm Mỹ", "Xuân Quế", "Thanh Sơn", "Đak Lua",
    "Phú Riềng", "Phú Trung", "Long Hà", "Bình Tân", "Phước Sơn", "Nghĩa Trung", "Bù Đăng", "Thọ Sơn",
    "Đak Nhau", "Bom Bo", "Phú Nghĩa", "Đa Kia", "Bù Gia Mập", "Đăk Ơ", "Thiện Hưng", "Hưng Phước",
    "Tân Tiến", "Lộc Ninh", "Lộc Thành", "Lộc Tấn", "Lộc Thạnh", "Lộc Hưng", "Lộc Quang", "Tân Hưng",
    "Tân Khai", "Minh Đức", "Tân Quan", "Nha Bích", "Tân Lợi", "Đồng Phú", "Thuận Lợi", "Đồng Tâm",
)  # fmt: skip
_HAMLETS: Final = (
    "Bình Lợi", "Tân Hạnh", "Phước Hòa", "Long Đức", "An Hòa", "Bình Ý", "Tân Mai", "Xuân Thiện", "Hưng Long",
    "Phú Sơn", "Trung Tâm", "Bàu Cạn", "Suối Cát", "Bến Cam", "Vĩnh Thanh", "Thành Công", "Đoàn Kết",
    "Tân Lập", "Bình Trung", "Phú Mỹ", "An Bình", "Hòa Bình", "Thuận An", "Lộc Hòa", "Tân Bình", "Suối Rết",
    "Gia Tân", "Bàu Sen", "Cây Điệp", "Phước Lý", "Sóc Lớn", "Bù Tam", "Thác Mơ", "Đồng Bia",
)  # fmt: skip
_NAMESAKES: Final = (
    "Nguyễn Du", "Lê Quý Đôn", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Tự Trọng", "Võ Thị Sáu", "Chu Văn An",
    "Lê Lợi", "Quang Trung", "Nguyễn Bỉnh Khiêm", "Hùng Vương", "Nguyễn Văn Trỗi", "Phan Bội Châu", "Trần Phú",
    "Lương Thế Vinh", "Nguyễn Hữu Cảnh", "Trịnh Hoài Đức", "Ngô Quyền", "Huỳnh Văn Nghệ", "Đoàn Thị Điểm",
)  # fmt: skip
_KINDERGARTENS: Final = ("Hoa Mai", "Sơn Ca", "Họa Mi", "Hướng Dương", "Tuổi Thơ", "Bông Sen", "Vành Khuyên")

# (name, weight in tenths of a percent), after the national surname survey; the south favours Huỳnh and Võ.
_FAMILY_NAMES: Final = (
    ("Nguyễn", 372), ("Trần", 115), ("Lê", 98), ("Phạm", 72), ("Phan", 45), ("Huỳnh", 31), ("Võ", 26),
    ("Hoàng", 21), ("Đặng", 21), ("Bùi", 20), ("Vũ", 14), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
    ("Trương", 10), ("Đinh", 8), ("Lâm", 6), ("Lý", 5), ("Mai", 5), ("Đào", 5), ("Đoàn", 5), ("Cao", 4),
    ("Hà", 4), ("Lưu", 3), ("Châu", 3), ("Lương", 3), ("Phùng", 3), ("Vương", 3), ("Tạ", 2), ("Tô", 2),
    ("Thái", 2), ("Triệu", 2), ("Tăng", 2), ("Từ", 2), ("Hứa", 2), ("Kiều", 1), ("Quách", 1), ("Bạch", 1),
    ("Khổng", 1), ("Mạc", 1),
)  # fmt: skip
_MALE_MIDDLE: Final = (
    ("Văn", 40), ("Hữu", 8), ("Đức", 8), ("Minh", 8), ("Thanh", 6), ("Quốc", 6), ("Công", 5), ("Tấn", 5),
    ("Ngọc", 4), ("Hoàng", 4), ("Thành", 4), ("Xuân", 3),
)  # fmt: skip
_FEMALE_MIDDLE: Final = (
    ("Thị", 55), ("Ngọc", 8), ("Thanh", 6), ("Thu", 5), ("Kim", 5), ("Minh", 4), ("Mỹ", 4), ("Hồng", 4),
    ("Phương", 3), ("Bích", 3), ("Thùy", 3),
)  # fmt: skip
_MALE_GIVEN: Final = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Long", "Nam", "Phong", "Sơn", "Thắng", "Trung", "Hoàng", "Hiếu",
    "Khoa", "Phúc", "Quang", "Tài", "Thành", "Bình", "Cường", "Đạt", "Hòa", "Khánh", "Lâm", "Lợi", "Nghĩa",
    "Nhân", "Phát", "Quân", "Tâm", "Thái", "Thịnh", "Toàn", "Trí", "Vinh", "Anh", "Bảo", "Duy", "Huy", "Kiên",
    "Lộc", "Tùng", "Việt", "Hưng", "An", "Tiến", "Đông", "Châu",
)  # fmt: skip
_FEMALE_GIVEN: Final = (
    "Lan", "Hương", "Mai", "Hoa", "Hạnh", "Hằng", "Hà", "Linh", "Loan", "Ngọc", "Nhung", "Phương", "Thảo",
    "Trang", "Tuyết", "Vân", "Yến", "Anh", "Dung", "Giang", "Hiền", "Huyền", "Liên", "Ly", "My", "Nga", "Ngân",
    "Nhi", "Oanh", "Quyên", "Tâm", "Thanh", "Thủy", "Thúy", "Trinh", "Uyên", "Vy", "Xuân", "Diễm", "Hồng",
    "Thư", "Hân", "Châu",
)  # fmt: skip
_MOBILE_PREFIXES: Final = (
    "090", "091", "093", "094", "097", "098", "096", "086", "088", "089", "032", "033", "034", "035", "036",
    "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "056", "058",
)  # fmt: skip
_PROBATIONARY_SHARE: Final = 0.03
_EMAIL_SHARE: Final = 0.70
_PHONE_SHARE: Final = 0.90
_MALE_SHARE: Final = 0.55


def _weighted_table(weighted: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    # A flat table indexed by random() is several times faster than Random.choices(weights=...) per draw.
    return tuple(name for name, weight in weighted for _ in range(weight))


_FAMILY_TABLE: Final = _weighted_table(_FAMILY_NAMES)
_MALE_MIDDLE_TABLE: Final = _weighted_table(_MALE_MIDDLE)
_FEMALE_MIDDLE_TABLE: Final = _weighted_table(_FEMALE_MIDDLE)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def _apportion(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split ``total`` into ``len(weights)`` parts of at least ``minimum``, proportional to the weights."""
    rest = total - minimum * len(weights)
    if rest <= 0:
        # Too few to give everyone the minimum: fill the parts in order.
        return [min(minimum, max(0, total - minimum * index)) for index in range(len(weights))]
    scale = rest / sum(weights)
    exact = [weight * scale for weight in weights]
    parts = [int(share) for share in exact]
    # Largest remainders get the units lost to rounding down, so the parts add up exactly.
    by_remainder = sorted(range(len(weights)), key=lambda index: parts[index] - exact[index])
    for index in by_remainder[: rest - sum(parts)]:
        parts[index] += 1
    return [minimum + part for part in parts]


def _branch_names(rng: random.Random, kind: str, place: str, count: int) -> list[str]:
    """Names for a commune's branches: its offices and schools first, then the neighbourhoods."""
    level = f"{kind} {place}"
    offices = [
        "Chi bộ Cơ quan Đảng - Đoàn thể",
        "Chi bộ Cơ quan Ủy ban nhân dân",
        f"Chi bộ Công an {level}",
        f"Chi bộ Quân sự {level}",
        f"Chi bộ Trạm Y tế {level}",
    ]
    schools = [f"Chi bộ Trường THCS {name}" for name in rng.sample(_NAMESAKES, 2)]
    schools += [f"Chi bộ Trường Tiểu học {name}" for name in rng.sample(_NAMESAKES, 2)]
    schools.append(f"Chi bộ Trường Mầm non {rng.choice(_KINDERGARTENS)}")
    institutions = (offices + schools)[: max(1, count // 4)]
    if kind == "phường":
        neighbourhoods = [f"Chi bộ khu phố {number}" for number in range(1, count + 1)]
    else:
        # Hamlets are named or numbered; the named ones come from a shuffled list so communes differ.
        named = [f"Chi bộ ấp {name}" for name in rng.sample(_HAMLETS, min(len(_HAMLETS), count // 2))]
        neighbourhoods = named + [f"Chi bộ ấp {number}" for number in range(1, count + 1)]
    return (institutions + neighbourhoods)[:count]


def _committee(size: int) -> list[str]:
    # Branches with many members elect a committee (chi ủy); small ones only a secretary.
    if size >= 30:
        return [SECRETARY, DEPUTY, COMMITTEE_MEMBER, COMMITTEE_MEMBER, COMMITTEE_MEMBER]
    if size >= 10:
        return [SECRETARY, DEPUTY, COMMITTEE_MEMBER]
    return [SECRETARY][:size]


class _People:
    """Draws members one at a time, keeping identifiers unique."""

    def __init__(self, rng: random.Random, today: date, count: int) -> None:
        self._rng = rng
        self._today = today
        self._latest_birth = add_years(today, -ADULT_AGE).toordinal()
        self._earliest_birth = add_years(today, -91).toordinal() + 1
        self._last_year = add_years(today, -1)
        # 10-digit card numbers without a leading zero, which spreadsheets would drop.
        self._cards = iter(rng.sample(range(10**9, 10**10), count))
        self._citizen_ids: set[str] = set()
        self._phones: set[str] = set()
        self._emails: set[str] = set()
        self._ascii: dict[str, str] = {}

    def member(self, line: int, branch_code: str, position: str) -> MemberRow:
        rng = self._rng
        officer = position != ""
        male = rng.random() < _MALE_SHARE
        family, middle, given = self._name(male=male)
        born = self._birth(officer=officer)
        joined, official = self._joined(born, officer=officer)
        return MemberRow(
            line=line,
            card_number=str(next(self._cards)),
            full_name=f"{family} {middle} {given}",
            date_of_birth=born,
            gender="male" if male else "female",
            phone=self._phone() if rng.random() < _PHONE_SHARE else None,
            email=self._email(family, middle, given, born) if rng.random() < _EMAIL_SHARE else None,
            citizen_id=self._citizen_id(born, male=male),
            joined_on=joined,
            official_on=official,
            branch_code=branch_code,
            position=position,
            status="active" if officer else self._status(born),
        )

    def _name(self, *, male: bool) -> tuple[str, str, str]:
        random_ = self._rng.random
        family = _FAMILY_TABLE[int(random_() * len(_FAMILY_TABLE))]
        middles = _MALE_MIDDLE_TABLE if male else _FEMALE_MIDDLE_TABLE
        middle = middles[int(random_() * len(middles))]
        givens = _MALE_GIVEN if male else _FEMALE_GIVEN
        given = givens[int(random_() * len(givens))]
        if random_() < 0.15:
            # Four-syllable names such as "Nguyễn Thị Ngọc Hân".
            second = givens[int(random_() * len(givens))]
            if second != given:
                middle, given = f"{middle} {given}", second
        return family, middle, given

    def _birth(self, *, officer: bool) -> date:
        rng = self._rng
        pick = rng.random()
        # Most members are of working age; a large minority are retired veterans, a few just joined.
        if pick < 0.62:
            age = rng.triangular(22, 62, 40)
        elif pick < 0.92:
            age = rng.triangular(55, 91, 66)
        else:
            age = rng.uniform(18, 30)
        if officer:
            age = max(age, 26.0)
        ordinal = self._today.toordinal() - int(age * 365.2425)
        return date.fromordinal(max(self._earliest_birth, min(self._latest_birth, ordinal)))

    def _joined(self, born: date, *, officer: bool) -> tuple[date, date | None]:
        rng = self._rng
        adult = add_years(born, ADULT_AGE)
        latest_official_join = self._last_year
        if adult > latest_official_join or (not officer and rng.random() < _PROBATIONARY_SHARE):
            # Joined within the last year: still probationary.
            joined = max(adult, self._today - timedelta(days=rng.randrange(365)))
            return joined, None
        span = (latest_official_join - adult).days
        # Most join in their twenties, after school or military service; a few much later.
        offset = int(rng.triangular(0.5, 30, 5) * 365.25)
        if offset > span:
            offset = int(span * rng.random())
        joined = adult + timedelta(days=offset)
        return joined, add_years(joined, 1)

    def _status(self, born: date) -> Status:
        pick = self._rng.random()
        if pick < 0.015:
            return "transferred_out"
        if pick < 0.022 and self._today.year - born.year >= 60:
            return "deceased"
        if pick < 0.025:
            return "removed"
        return "active"

    def _phone(self) -> str:
        rng = self._rng
        while True:
            phone = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def _citizen_id(self, born: date, *, male: bool) -> str:
        # Fourth digit: century and gender (0/1 for the 1900s, 2/3 for the 2000s; even for men).
        century = (born.year // 100 - 19) * 2 + (0 if male else 1)
        prefix = f"{CITIZEN_ID_PROVINCE}{century}{born.year % 100:02d}"
        while True:
            citizen_id = f"{prefix}{self._rng.randrange(10**6):06d}"
            if citizen_id not in self._citizen_ids:
                self._citizen_ids.add(citizen_id)
                return citizen_id

    def _fold(self, part: str) -> str:
        folded = self._ascii.get(part)
        if folded is None:
            folded = self._ascii[part] = _ascii(part)
        return folded

    def _email(self, family: str, middle: str, given: str, born: date) -> str:
        rng = self._rng
        first, last, middle_ascii = self._fold(given), self._fold(family), self._fold(middle)
        pick = rng.random()
        if pick < 0.4:
            local = f"{last}{middle_ascii}{first}{born.year % 100:02d}"
        elif pick < 0.7:
            local = f"{first}.{last}{rng.randrange(100, 1000)}"
        else:
            local = f"{first}{last}{born.year}"
        email = f"{local}@gmail.com"
        while email in self._emails:
            # An address belongs to one person; namesakes get digits, as the mail provider would insist.
            email = f"{local}{rng.randrange(10, 1000)}@gmail.com"
        self._emails.add(email)
        return email


def _communes(rng: random.Random, count: int) -> list[tuple[str, str]]:
    places = [("phường", name) for name in _WARDS] + [("xã", name) for name in _COMMUNES]
    # Smaller provinces take a spread of real names, not just the first wards of the list.
    return [places[index] for index in sorted(rng.sample(range(len(places)), count))]


def generate_province(members: int, seed: int, *, today: date) -> SyntheticProvince:
    """Generate a province tree and its member register.

    Args:
        members: How many members; 131,000 gives the full Dong Nai shape (95 communes, ~3,000 branches).
        seed: Seed of the only random source; the same arguments always give the same province.
        today: The date the data is generated for: ages, joining and official dates count back from it.

    Returns:
        The units, parents before children, and the members grouped by branch with CSV line numbers.

    Raises:
        ValueError: ``members`` is negative.
    """
    if members < 0:
        raise ValueError("members must not be negative")
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, reproducibility is the point
    commune_count = min(MAX_COMMUNES, max(2, math.ceil(members / MEMBERS_PER_COMMUNE)))
    branch_count = max(commune_count, round(members / MEMBERS_PER_BRANCH))
    per_commune = _apportion(branch_count, [rng.uniform(0.6, 1.4) for _ in range(commune_count)], 1)
    # Mode 32 between 10 and 90: the mean is 44, with the long tail of big urban branches.
    sizes = iter(_apportion(members, [rng.triangular(10, 90, 32) for _ in range(branch_count)], 1))
    units = [SyntheticUnit(PROVINCE_CODE, PROVINCE_NAME, "province", None)]
    people = _People(rng, today, members)
    register: list[MemberRow] = []
    for number, ((kind, place), branches) in enumerate(zip(_communes(rng, commune_count), per_commune, strict=True)):
        commune_code = f"{PROVINCE_CODE}.{number + 1:03d}"
        units.append(SyntheticUnit(commune_code, f"Đảng bộ {kind} {place}", "commune", PROVINCE_CODE))
        for index, name in enumerate(_branch_names(rng, kind, place, branches)):
            branch_code = f"{commune_code}.{index + 1:02d}"
            units.append(SyntheticUnit(branch_code, name, "branch", commune_code))
            size = next(sizes)
            positions = _committee(size)
            positions += [""] * (size - len(positions))
            # Line numbers as if written to a CSV file: the header is line 1.
            first_line = len(register) + 2
            register.extend(
                people.member(first_line + offset, branch_code, position) for offset, position in enumerate(positions)
            )
    return SyntheticProvince(units=units, members=register)
