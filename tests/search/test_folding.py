"""Folding, query terms and tsquery text: Vietnamese without marks, offsets kept, no tsquery injection."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import AsyncIterator

import asyncpg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.db import connect
from api.search.folding import (
    MAX_QUERY_LENGTH,
    MAX_TERM_LENGTH,
    MAX_TERMS,
    clean_terms,
    fold,
    query_terms,
    search_text,
    search_words,
    to_tsquery_text,
)

# Every Vietnamese vowel with its marks, as listed in the design: each folds to its first letter.
VOWELS = [
    "aàáảãạăằắẳẵặâầấẩẫậ",
    "eèéẻẽẹêềếểễệ",
    "iìíỉĩị",
    "oòóỏõọôồốổỗộơờớởỡợ",
    "uùúủũụưừứửữự",
    "yỳýỷỹỵ",
]
NFC_FORMS = st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])
TSQUERY = re.compile(r"[^\W_]+(?::\*)?(?: & [^\W_]+(?::\*)?)*")
ASCII_TSQUERY = re.compile(r"[a-z0-9]+(?::\*)?(?: & [a-z0-9]+(?::\*)?)*")
HOSTILE_QUERIES = [
    "a & b | !c:*",
    "'",
    "\\",
    "''",
    "\\'",
    "a:*B",
    "!!",
    "(a | b) <-> c",
    "a <2> b",
    "x:ABCD*",
    "nghị'); drop table sections; --",
    "&|!():*<->",
    "\x00",
    "a\x00b",
    "%s %(x)s {0}",
    "$1",
    "中文 & правда",
    "ａ＆ｂ",
    "q\u0301uy",
    "🙂 🇻🇳",
]


@pytest.mark.parametrize("letters", VOWELS)
def test_every_vietnamese_vowel_loses_its_marks(letters: str) -> None:
    base = letters[0]
    assert fold(letters) == base * len(letters)
    assert fold(letters.upper()) == base * len(letters)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("nghị quyết", "nghi quyet"),
        ("Nghị Quyết", "nghi quyet"),
        ("NGHỊ QUYẾT", "nghi quyet"),
        ("Đảng viên", "dang vien"),
        ("đảng viên", "dang vien"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"),
        ("Chủ tịch Hồ Chí Minh", "chu tich ho chi minh"),
        ("Tư tưởng, đạo đức, phong cách", "tu tuong, dao duc, phong cach"),
        ("Nghị quyết số 57-NQ/TW", "nghi quyet so 57-nq/tw"),
        ("“Đảng” (đ) — Đ.", "“dang” (d) — d."),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_d_with_stroke_and_its_look_alikes_fold_to_d() -> None:
    # Legacy converters write the Icelandic eth (U+00D0) where Vietnamese has Đ (U+0110).
    assert fold("Đđ") == "dd"
    assert fold("ÐðƉɖ") == "dddd"


def test_other_scripts_and_compatibility_forms() -> None:
    assert fold("Ｆｕｌｌ ｗｉｄｔｈ ０９") == "full width 09"
    assert fold("İstanbul") == "istanbul"  # "İ".lower() is two characters; the fold is one
    assert fold("Straße ẞ") == "straße ß"
    assert fold("ǅ ǲ ﬁ ½") == "ǆ ǳ ﬁ ½"  # no single-character fold: lower-cased or kept
    assert fold("中文 Правда Ελλάδα") == "中文 правда ελλαδα"
    assert fold("a\u00a0b") == "a b"  # no-break space


@pytest.mark.parametrize("text", ["Nghị quyết số 57", "ĐẢNG VIÊN", "Quyền và nghĩa vụ của đảng viên"])
def test_decomposed_input_folds_like_composed(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert fold(nfd) == fold(text)
    assert search_text(nfd) == search_text(text)


def test_combining_tone_marks_typed_after_the_vowel_are_composed_first() -> None:
    # Some Vietnamese keyboards send the base letter and then a combining mark.
    assert fold("nghi\u0323 quye\u0302\u0301t") == "nghi quyet"


@given(st.text())
def test_fold_keeps_the_length_of_the_nfc_text(text: str) -> None:
    assert len(fold(text)) == len(unicodedata.normalize("NFC", text))


@given(st.text(st.characters(exclude_categories=())), NFC_FORMS)
def test_fold_and_search_text_keep_the_length_of_any_text(text: str, form: str) -> None:
    text = unicodedata.normalize(form, text)  # type: ignore[arg-type]
    length = len(unicodedata.normalize("NFC", text))
    assert len(fold(text)) == length
    assert len(search_text(text)) == length


def test_every_code_point_folds_to_exactly_one_character() -> None:
    # search_text is fold with some characters made spaces: the property test below covers it.
    everything = "".join(map(chr, range(0x110000)))
    assert len(fold(everything)) == len(unicodedata.normalize("NFC", everything))


@given(st.text())
def test_fold_is_lower_case_where_lower_case_is_one_character(text: str) -> None:
    folded = fold(text)
    for char in folded:
        if len(char.lower()) == 1:
            assert char == char.lower()


@given(st.text())
def test_search_text_is_fold_with_only_letters_digits_and_spaces(text: str) -> None:
    folded, searched = fold(text), search_text(text)
    for f, s in zip(folded, searched, strict=True):
        assert s == (f if f.isalnum() else " ")


def test_search_text_splits_where_postgresql_would_join() -> None:
    assert search_text("57-NQ/TW, 1.000.000 đồng; a_b “Đảng”") == "57 nq tw  1 000 000 dong  a b  dang "


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("nghị quyết", ["nghi", "quyet"]),
        ("  Nghị   QUYẾT  ", ["nghi", "quyet"]),
        ("Đảng viên", ["dang", "vien"]),
        ("Nghị quyết, 57-NQ/TW", ["nghi", "quyet", "57", "nq", "tw"]),
        ("Đảng đảng DANG dang viên Dang", ["dang", "vien"]),
        ("", []),
        ("   \t\n ", []),
        ("!?.,;:—…“”()[]{}'\"\\/", []),
        ("a & b | !c:*", ["a", "b", "c"]),
        ("'", []),
        ("\\", []),
        ("nghị'); drop table sections; --", ["nghi", "drop", "table", "sections"]),
        ("a_b", ["a", "b"]),
        ("中文 правда", ["中文", "правда"]),
        ("ＮＧＨＩ ＱＵＹＥＴ", ["nghi", "quyet"]),
        ("\x00nghi\x00", ["nghi"]),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


def test_query_terms_of_decomposed_input() -> None:
    assert query_terms(unicodedata.normalize("NFD", "Nghị quyết Đảng")) == ["nghi", "quyet", "dang"]


def test_query_terms_caps_the_number_of_terms() -> None:
    words = [f"w{n}" for n in range(30)]
    assert query_terms(" ".join(words)) == words[:MAX_TERMS]
    assert query_terms(" ".join(words), max_terms=3) == words[:3]
    assert query_terms("a b", max_terms=0) == []


def test_query_terms_caps_the_length_of_a_term() -> None:
    assert query_terms("đ" * 100) == ["d" * MAX_TERM_LENGTH]
    # Cut words that agree on their first MAX_TERM_LENGTH characters are one term.
    assert query_terms("x" * 50 + " " + "x" * 60) == ["x" * MAX_TERM_LENGTH]


def test_query_terms_reads_only_the_start_of_a_huge_query() -> None:
    query = "nghị quyết " + "!" * 5_000_000 + " hidden"
    assert query_terms(query) == ["nghi", "quyet"]
    assert query_terms("ab" * MAX_QUERY_LENGTH) == ["ab" * (MAX_TERM_LENGTH // 2)]


@given(st.text(st.characters(exclude_categories=())))
def test_query_terms_are_clean_distinct_words(query: str) -> None:
    terms = query_terms(query)
    assert len(terms) <= MAX_TERMS
    assert len(set(terms)) == len(terms)
    for term in terms:
        assert term
        assert len(term) <= MAX_TERM_LENGTH
        assert all(char.isalnum() for char in term)
    assert clean_terms(terms) == terms


@pytest.mark.parametrize(
    ("terms", "text"),
    [
        (["nghi", "quyet"], "nghi & quyet:*"),
        (["dang"], "dang:*"),
        (["a", "b", "c"], "a & b & c:*"),
        (["x" * MAX_TERM_LENGTH, "y"], f"{'x' * MAX_TERM_LENGTH}:* & y:*"),
        # Terms that did not come from query_terms are cleaned the same way.
        (["Đảng", "VIÊN"], "dang & vien:*"),
        (["a&b", "c:*", "'x'", "\\", "!"], "a & b & c & x:*"),
        (["x" * 100], f"{'x' * MAX_TERM_LENGTH}:*"),
        (["dang", "DANG"], "dang:*"),
        (["中文"], "中文:*"),
    ],
)
def test_to_tsquery_text(terms: list[str], text: str) -> None:
    assert to_tsquery_text(terms) == text


def test_search_words_mark_the_last_and_cut_terms_as_prefixes() -> None:
    assert search_words(["nghi", "quyet"]) == [("nghi", False), ("quyet", True)]
    assert search_words(["x" * 99, "Đảng", "dang"]) == [("x" * MAX_TERM_LENGTH, True), ("dang", True)]
    assert search_words(["!"]) == []


@pytest.mark.parametrize("terms", [[], [""], ["&&", "!", "'", ":*", " "]])
def test_to_tsquery_text_refuses_an_empty_search(terms: list[str]) -> None:
    with pytest.raises(ValueError, match="no search terms"):
        to_tsquery_text(terms)


@given(st.text(st.characters(exclude_categories=())))
def test_to_tsquery_text_holds_only_words_and_our_operators(query: str) -> None:
    terms = query_terms(query)
    if terms:
        assert TSQUERY.fullmatch(to_tsquery_text(terms))


@given(st.text(st.characters(max_codepoint=0x7F)))
def test_to_tsquery_text_of_an_ascii_query_is_ascii(query: str) -> None:
    terms = query_terms(query)
    if terms:
        assert ASCII_TSQUERY.fullmatch(to_tsquery_text(terms))


@given(st.lists(st.text(st.characters(exclude_categories=()))))
def test_to_tsquery_text_of_any_terms_holds_only_words_and_our_operators(terms: list[str]) -> None:
    try:
        text = to_tsquery_text(terms)
    except ValueError:
        assert clean_terms(terms) == []
    else:
        assert TSQUERY.fullmatch(text)


# --- against PostgreSQL ---------------------------------------------------------------------------

MATCHES = "select to_tsvector('simple', $1) @@ to_tsquery('simple', $2)"
SECTION = "Nghị quyết số 57-NQ/TW về chuyển đổi số, ngày 22/12/2024, của Bộ Chính trị: “Đảng viên phải gương mẫu”."


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection[asyncpg.Record]]:
    connection = await connect(database_url)
    yield connection
    await connection.close()


async def matches(conn: asyncpg.Connection[asyncpg.Record], document: str, query: str) -> bool:
    result = await conn.fetchval(MATCHES, document, to_tsquery_text(query_terms(query)))
    assert isinstance(result, bool)
    return result


async def test_folded_text_matches_an_unaccented_query(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    document = fold("Nghị quyết số 57 về chuyển đổi số")
    assert await matches(conn, document, "nghi quyet chuyen doi")
    assert await matches(conn, document, "Nghị quyết chuyển đổi")
    assert await matches(conn, document, "NGHI QUY")  # the last term is a prefix
    assert not await matches(conn, document, "quyet dinh")
    assert not await matches(conn, document, "ngh quyet")  # only the last term is a prefix
    assert not await matches(conn, fold("nghiêm chỉnh quyết"), "nghi quyet")
    assert await matches(conn, fold("Đảng viên"), "dang vien")
    assert await matches(conn, fold("dang vien"), "Đảng viên")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nghi quyet chuyen doi", True),
        ("57 nq tw", True),
        ("57-NQ/TW", True),
        ("22/12/2024", True),
        ("2024", True),
        ("dang vien guong mau", True),
        ("“Đảng viên”", True),
        ("bo chinh tri", True),
        ("bo chinh tri nghi dinh", False),
        ("quyet dinh", False),
        ("chuyen doi so 23", False),
    ],
)
async def test_search_text_matches_every_word_postgresql_sees(
    conn: asyncpg.Connection[asyncpg.Record], query: str, found: bool
) -> None:
    assert await matches(conn, search_text(SECTION), query) is found


async def test_folded_punctuation_hides_words_from_postgresql(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    # Why search_text is what gets indexed: PostgreSQL's parser reads "57-nq/tw" as '57' and the path 'nq/tw'.
    assert not await matches(conn, fold(SECTION), "nq tw")
    assert not await matches(conn, fold(SECTION), "22 12 2024")
    assert await matches(conn, search_text(SECTION), "nq tw")


async def test_letters_outside_ascii_are_words_to_postgresql(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    document = search_text("Tài liệu 中文 và ПРАВДА, số ４２")
    for query in ["中文", "правда", "Правда tai lieu", "42", "中"]:
        assert await matches(conn, document, query), query
    assert not await matches(conn, document, "中国")


async def test_hostile_queries_are_never_a_tsquery_syntax_error(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    rng = random.Random(57)
    alphabet = "&|!():*<->'\"\\ \t\n,.;-_/aAđĐếẾ0中\u0301\u00a0🙂\x01"
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    texts = []
    for query in [*HOSTILE_QUERIES, *generated]:
        terms = query_terms(query)
        if terms:
            texts.append(to_tsquery_text(terms))
    assert len(texts) > 1000
    parsed = await conn.fetch("select q, to_tsquery('simple', q)::text as parsed from unnest($1::text[]) as q", texts)
    assert len(parsed) == len(texts)
    # Every operand became a word of the query: nothing was read as an operator.
    for row in parsed:
        assert row["parsed"].count("&") == row["q"].count("&"), row
