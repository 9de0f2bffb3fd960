"""The synthetic province: its shape, its determinism, and members that pass the import validation."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable
from datetime import date

import pytest

from api.members.csvformat import MemberRow, parse_member_csv, write_member_csv
from api.members.fields import add_years
from api.members.synthetic import SyntheticProvince, generate_province

TODAY = date(2026, 11, 1)
CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")  # org_units.code in migrations/0001_init.sql
MOBILE = re.compile(r"^0(?:3[2-9]|5[68]|7[06-9]|8[1-689]|9[0-8])[0-9]{7}$")
FULL_SIZE = 131_000


@pytest.fixture(scope="module")
def full_province() -> SyntheticProvince:
    return generate_province(FULL_SIZE, 2026, today=TODAY)


def check_tree(province: SyntheticProvince) -> None:
    units = province.units
    assert (units[0].code, units[0].name, units[0].kind, units[0].parent_code) == (
        "DN",
        "Đảng bộ tỉnh Đồng Nai",
        "province",
        None,
    )
    seen: dict[str, str] = {}
    for unit in units:
        assert CODE.match(unit.code), unit.code
        assert unit.code not in seen
        assert 1 <= len(unit.name) <= 200
        if unit.kind == "province":
            assert unit.parent_code is None
        else:
            # Parents come before children, one level at a time.
            assert seen[unit.parent_code or ""] == {"commune": "province", "branch": "commune"}[unit.kind]
            assert unit.code.startswith(f"{unit.parent_code}.")
        seen[unit.code] = unit.kind
    assert [unit.kind for unit in units].count("province") == 1
    for unit in units:
        if unit.kind == "commune":
            assert unit.name.startswith(("Đảng bộ phường ", "Đảng bộ xã "))
        elif unit.kind == "branch":
            assert unit.name.startswith("Chi bộ ")
    names_by_commune = Counter((unit.parent_code, unit.name) for unit in units if unit.kind == "branch")
    assert max(names_by_commune.values()) == 1, names_by_commune.most_common(3)


def check_members(province: SyntheticProvince) -> None:
    branches = {unit.code for unit in province.units if unit.kind == "branch"}
    members = province.members
    assert [member.line for member in members] == list(range(2, len(members) + 2))
    assert all(member.branch_code in branches for member in members)
    assert len({member.card_number for member in members}) == len(members)
    citizen_ids = [member.citizen_id for member in members if member.citizen_id is not None]
    assert len(set(citizen_ids)) == len(citizen_ids)
    for member in members:
        born = member.date_of_birth
        assert member.citizen_id is not None
        assert member.citizen_id.startswith("075")
        century_gender = (born.year // 100 - 19) * 2 + (member.gender == "female")
        assert member.citizen_id[3:6] == f"{century_gender}{born.year % 100:02d}"
        assert len(member.card_number) == 10
        assert member.phone is None or MOBILE.match(member.phone), member.phone
        assert member.email is None or (member.email.isascii() and member.email.endswith("@gmail.com"))
        assert add_years(TODAY, -91) < born <= add_years(TODAY, -18)
        if member.official_on is not None:
            assert member.official_on == add_years(member.joined_on, 1)
        else:
            assert (TODAY - member.joined_on).days < 366
    secretaries = Counter(member.branch_code for member in members if member.position == "Bí thư chi bộ")
    populated = {member.branch_code for member in members}
    assert secretaries == dict.fromkeys(populated, 1)
    for member in members:
        if member.position:
            assert member.status == "active"
            assert member.official_on is not None


def round_trip_errors(province: SyntheticProvince) -> list[object]:
    result = parse_member_csv(write_member_csv(province.members), today=TODAY)
    assert result.total == len(province.members)
    assert result.rows == province.members
    return list(result.errors)


def test_two_thousand_members_pass_the_import_validation() -> None:
    province = generate_province(2000, 7, today=TODAY)
    assert len(province.members) == 2000
    assert round_trip_errors(province) == []
    check_tree(province)
    check_members(province)


def test_the_same_seed_gives_the_same_province() -> None:
    first = generate_province(3000, 42, today=TODAY)
    second = generate_province(3000, 42, today=TODAY)
    assert first == second
    assert write_member_csv(first.members) == write_member_csv(second.members)


def test_a_different_seed_or_day_gives_a_different_province() -> None:
    base = write_member_csv(generate_province(3000, 42, today=TODAY).members)
    assert write_member_csv(generate_province(3000, 43, today=TODAY).members) != base
    assert write_member_csv(generate_province(3000, 42, today=date(2027, 1, 1)).members) != base
    assert generate_province(3000, 42, today=TODAY).units != generate_province(3000, 43, today=TODAY).units


@pytest.mark.parametrize("members", [0, 1, 2, 3, 44, 100, 1379, 1380, 5000, 20_000])
def test_small_provinces_scale_down(members: int) -> None:
    province = generate_province(members, 1, today=TODAY)
    communes = [unit for unit in province.units if unit.kind == "commune"]
    branches = [unit for unit in province.units if unit.kind == "branch"]
    assert len(communes) == min(95, max(2, math.ceil(members / 1379)))
    assert len(branches) == max(len(communes), round(members / 44))
    assert len(province.members) == members
    assert {unit.parent_code for unit in branches} == {unit.code for unit in communes}  # no empty commune
    if members >= len(branches):
        assert {member.branch_code for member in province.members} == {unit.code for unit in branches}
    check_tree(province)
    check_members(province)
    assert round_trip_errors(province) == []


def test_a_negative_member_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        generate_province(-1, 1, today=TODAY)


def test_the_full_size_province_is_shaped_like_dong_nai(full_province: SyntheticProvince) -> None:
    units = full_province.units
    communes = [unit for unit in units if unit.kind == "commune"]
    branches = [unit for unit in units if unit.kind == "branch"]
    assert len(communes) == 95
    assert [unit.code for unit in communes] == [f"DN.{number:03d}" for number in range(1, 96)]
    assert len({unit.name for unit in communes}) == 95
    assert sum(unit.name.startswith("Đảng bộ phường ") for unit in communes) == 23
    assert 2800 <= len(branches) <= 3200
    sizes = Counter(member.branch_code for member in full_province.members)
    assert set(sizes) == {unit.code for unit in branches}
    assert 35 <= statistics.mean(sizes.values()) <= 55
    assert sum(10 <= size <= 90 for size in sizes.values()) / len(sizes) >= 0.95
    per_commune = Counter(unit.parent_code for unit in branches)
    assert min(per_commune.values()) >= 10
    assert max(per_commune.values()) <= 99  # two-digit branch codes


def test_the_full_size_register_looks_like_real_people(full_province: SyntheticProvince) -> None:
    members = full_province.members
    count = len(members)
    assert count == FULL_SIZE

    def share(predicate: Callable[[MemberRow], bool]) -> float:
        return sum(1 for member in members if predicate(member)) / count

    family = Counter(member.full_name.split()[0] for member in members)
    assert 0.35 <= family["Nguyễn"] / count <= 0.41
    assert [name for name, _ in family.most_common(4)] == ["Nguyễn", "Trần", "Lê", "Phạm"]
    assert 0.52 <= share(lambda member: member.gender == "male") <= 0.58
    assert 0.02 <= share(lambda member: member.official_on is None) <= 0.04
    assert 0.67 <= share(lambda member: member.email is not None) <= 0.73
    assert 0.87 <= share(lambda member: member.phone is not None) <= 0.93
    assert 0.95 <= share(lambda member: member.status == "active") < 1
    assert share(lambda member: member.position == "") >= 0.85
    assert share(lambda member: "Thị" in member.full_name.split()[1:-1] and member.gender == "male") == 0
    assert share(lambda member: member.full_name.split()[1] == "Văn" and member.gender == "female") == 0
    ages = [
        TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
        for born in (member.date_of_birth for member in members)
    ]
    assert (min(ages), max(ages)) == (18, 90)
    assert 35 <= statistics.median(ages) <= 55
    phones = [member.phone for member in members if member.phone]
    emails = [member.email for member in members if member.email]
    assert len(set(phones)) == len(phones)
    assert len(set(emails)) == len(emails)


def test_the_full_size_register_passes_the_import_validation(full_province: SyntheticProvince) -> None:
    check_tree(full_province)
    check_members(full_province)
    assert round_trip_errors(full_province) == []
