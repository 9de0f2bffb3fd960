"""Snippets: the best window of the accented original, cut between words, matches marked and escaped."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.search.folding import MAX_TERM_LENGTH, clean_terms, fold, query_terms, search_text, search_words
from api.search.snippets import ELLIPSIS, Snippet, _find_matches, highlight_html, snippet

FILLER = "Chi bộ sinh hoạt định kỳ mỗi tháng một lần, có ghi biên bản và lưu trữ theo quy định. "
ARTICLE = (
    "Điều 2. Đảng viên có nhiệm vụ tuyệt đối trung thành với mục đích lý tưởng cách mạng của Đảng, "
    "chấp hành nghiêm chỉnh Cương lĩnh chính trị, Điều lệ Đảng, nghị quyết, chỉ thị của Đảng, "
    "pháp luật của Nhà nước; hoàn thành tốt nhiệm vụ được giao."
)


def marked(s: Snippet) -> list[str]:
    return [s.text[start:end] for start, end in s.highlights]


def body(s: Snippet) -> str:
    return s.text.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)


def assert_well_formed(s: Snippet, source: str, terms: list[str]) -> None:
    """The checks every snippet must pass, whatever the text and terms."""
    original = unicodedata.normalize("NFC", source)
    assert body(s) in original
    assert s.highlights == sorted(s.highlights)
    position = 0
    for start, end in s.highlights:
        assert position <= start < end <= len(s.text)
        position = end
        assert fold(s.text[start:end]) in terms
        # A match starts a word of the original.
        assert start == 0 or not s.text[start - 1].isalnum()


def test_highlights_point_at_the_accented_original() -> None:
    s = snippet("Đảng viên phải gương mẫu chấp hành nghị quyết.", query_terms("dang vien nghi quyet"))
    assert s.text == "Đảng viên phải gương mẫu chấp hành nghị quyết."
    assert s.highlights == [(0, 4), (5, 9), (35, 39), (40, 45)]
    assert marked(s) == ["Đảng", "viên", "nghị", "quyết"]


def test_accented_query_highlights_unaccented_text() -> None:
    s = snippet("tai lieu ve dang vien", query_terms("Đảng VIÊN"))
    assert marked(s) == ["dang", "vien"]


def test_a_term_matches_the_start_of_a_word_only() -> None:
    s = snippet("Quyền và nghĩa vụ của Đảng viên; quy định về quyết định", ["quy"])
    assert marked(s) == ["Quy", "quy", "quy"]
    assert s.highlights == [(0, 3), (33, 36), (45, 48)]
    assert snippet("Đảng viên", ["ang", "ien"]).highlights == []


def test_only_the_last_term_matches_as_a_prefix() -> None:
    # As in the tsquery "nghi & quyet:*": nghiêm is not nghị, but quyết is a start of quyết định.
    s = snippet("nghiêm chỉnh nghị quyết, quyết định, nghị", ["nghi", "quy"])
    assert marked(s) == ["nghị", "quy", "quy", "nghị"]
    s = snippet("nghiêm chỉnh nghị quyết", query_terms("nghi quy"))
    assert marked(s) == ["nghị", "quy"]


def test_a_term_cut_to_the_maximum_length_matches_as_a_prefix() -> None:
    word = "x" * 60
    s = snippet(f"abc {word} def", [*query_terms(word), "def"])
    assert s.highlights == [(4, 4 + MAX_TERM_LENGTH), (65, 68)]


def test_the_longest_term_at_a_word_start_wins() -> None:
    s = snippet("quyết định quyền", ["quyet", "quy"])
    assert marked(s) == ["quyết", "quy"]


def test_matches_inside_punctuated_words() -> None:
    s = snippet("Thực hiện Nghị quyết 57-NQ/TW (ngày 22/12/2024).", query_terms("57-NQ/TW 2024"))
    assert marked(s) == ["57", "NQ", "TW", "2024"]


def test_decomposed_text_gives_offsets_in_the_composed_text() -> None:
    source = unicodedata.normalize("NFD", "Nghị quyết của Đảng")
    s = snippet(source, ["quyet", "dang"])
    assert s.text == "Nghị quyết của Đảng"
    assert marked(s) == ["quyết", "Đảng"]


def test_the_window_with_the_most_distinct_terms_wins() -> None:
    text = (
        "Nghị định về kinh tế. "
        + FILLER * 4
        + "Quyết toán ngân sách. "
        + FILLER * 4
        + "Nghị quyết của Bộ Chính trị về chuyển đổi số. "
        + FILLER * 4
    )
    s = snippet(text, query_terms("nghi quyet chuyen doi"))
    assert "Nghị quyết của Bộ Chính trị về chuyển đổi số" in s.text
    assert {fold(word) for word in marked(s)} == {"nghi", "quyet", "chuyen", "doi"}
    assert_well_formed(s, text, ["nghi", "quyet", "chuyen", "doi"])


def test_among_equal_windows_the_one_with_more_matches_then_the_earliest_wins() -> None:
    text = "Đảng viên. " + FILLER * 3 + "Đảng viên và Đảng. " + FILLER * 3 + "Đảng viên. " + FILLER
    s = snippet(text, ["dang", "vien"])
    assert "Đảng viên và Đảng" in s.text
    s = snippet("Đảng viên. " + FILLER * 3 + "Đảng viên. " + FILLER, ["dang", "vien"])
    assert s.text.startswith("Đảng viên. Chi bộ")


def test_a_window_in_the_middle_is_cut_between_words_with_ellipses() -> None:
    text = FILLER * 5 + ARTICLE + " " + FILLER * 5
    s = snippet(text, query_terms("cuong linh"), width=80)
    assert s.text.startswith(ELLIPSIS)
    assert s.text.endswith(ELLIPSIS)
    assert marked(s) == ["Cương", "lĩnh"]
    inner = body(s)
    start = text.index(inner)
    end = start + len(inner)
    assert not text[start - 1].isalnum()
    assert not text[start].isspace()
    assert not text[end].isalnum()
    assert not text[end - 1].isspace()
    assert len(inner) <= 80 + 6  # the width, and at most a little punctuation at each end
    assert_well_formed(s, text, ["cuong", "linh"])


def test_punctuation_touching_the_cut_words_is_kept() -> None:
    text = FILLER * 3 + "(Đảng viên)." + FILLER * 3
    s = snippet(text, ["dang", "vien"], width=10)
    assert body(s) == "(Đảng viên)."


def test_the_start_of_the_text_has_no_leading_ellipsis() -> None:
    s = snippet(ARTICLE + " " + FILLER * 5, ["dieu"])
    assert s.text.startswith("Điều 2.")
    assert s.text.endswith(ELLIPSIS)
    assert s.highlights == [(0, 4), *s.highlights[1:]]


def test_the_end_of_the_text_has_no_trailing_ellipsis() -> None:
    s = snippet(FILLER * 5 + ARTICLE, query_terms("nhiem vu duoc giao"))
    assert s.text.startswith(ELLIPSIS)
    assert s.text.endswith("được giao.")


def test_a_short_text_is_shown_whole() -> None:
    s = snippet("  Đảng viên  \n", ["vien"])
    assert s == Snippet(text="Đảng viên", highlights=[(5, 9)])


@pytest.mark.parametrize("terms", [[], ["zzz"], ["&", "!"], ["ang"]])
def test_without_a_match_the_beginning_is_shown(terms: list[str]) -> None:
    s = snippet("\n  " + ARTICLE + " " + FILLER * 3, terms, width=60)
    assert s.highlights == []
    assert s.text.startswith("Điều 2. Đảng viên")
    assert s.text.endswith(ELLIPSIS)
    assert len(body(s)) <= 60
    assert body(s)[-1] != " "


def test_empty_and_blank_texts() -> None:
    assert snippet("", ["a"]) == Snippet(text="", highlights=[])
    assert snippet(" \n\t ", ["a"]) == Snippet(text="", highlights=[])
    assert snippet("…", ["a"]) == Snippet(text="…", highlights=[])


def test_a_word_longer_than_the_window_is_cut_within_reason() -> None:
    s = snippet("x" * 10_000, [], width=50)
    assert s.text == "x" * 50 + ELLIPSIS
    s = snippet("abc " + "đ" * 10_000 + " def", ["d"], width=50)
    assert s.highlights == [(4, 5)]
    assert len(s.text) <= 50 + 2 * len(ELLIPSIS)


def test_terms_are_cleaned_like_a_query() -> None:
    s = snippet("Điều lệ Đảng", ["ĐẢNG", "điều!", "<lệ>"])
    assert marked(s) == ["Điều", "lệ", "Đảng"]


@given(
    st.text(st.sampled_from("aăâđeêioôơuưyAĐ àáạảãầếộợửỹ.,-/\n\u0301")),
    st.lists(st.text(st.sampled_from("adeiouy"), min_size=1, max_size=3), max_size=4),
    st.integers(min_value=1, max_value=80),
)
def test_snippets_are_always_well_formed(text: str, terms: list[str], width: int) -> None:
    s = snippet(text, terms, width=width)
    assert_well_formed(s, text, clean_terms(terms))


@given(st.text(), st.lists(st.text(max_size=5), max_size=4))
def test_snippets_of_any_text_are_well_formed(text: str, terms: list[str]) -> None:
    s = snippet(text, terms, width=30)
    assert_well_formed(s, text, clean_terms(terms))


def test_highlight_html_marks_the_highlights() -> None:
    s = snippet("Đảng viên phải gương mẫu", ["dang", "vien"])
    assert highlight_html(s) == "<mark>Đảng</mark> <mark>viên</mark> phải gương mẫu"


def test_highlight_html_escapes_the_text() -> None:
    s = snippet("<script>alert(\"Đảng\")</script> & <b>viên</b> 'x'", ["dang", "script", "b"])
    html = highlight_html(s)
    assert "<script" not in html
    assert "<b>" not in html
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;<mark>Đảng</mark>&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "&lt;<mark>b</mark>&gt;viên&lt;/<mark>b</mark>&gt; &#x27;x&#x27;"
    )


def test_highlight_html_escapes_markup_that_looks_like_ours() -> None:
    s = snippet("<mark>Đảng</mark>", ["mark"])
    assert highlight_html(s) == "&lt;<mark>mark</mark>&gt;Đảng&lt;/<mark>mark</mark>&gt;"


def test_highlight_html_stays_well_formed_with_bad_highlights() -> None:
    s = Snippet(text="<a>bcdef", highlights=[(5, 3), (1, 4), (2, 6), (-5, 1), (7, 99), (50, 60)])
    assert highlight_html(s) == "<mark>&lt;</mark><mark>a&gt;b</mark><mark>cd</mark>e<mark>f</mark>"


def test_highlight_html_of_an_empty_snippet() -> None:
    assert highlight_html(Snippet(text="", highlights=[])) == ""


def test_a_common_word_repeated_everywhere_does_not_hide_a_rare_one() -> None:
    # "chi bo" occurs in every filler sentence; "biên bản điện tử" only at the very end.
    text = FILLER * 200 + "Nay chi bộ lập biên bản điện tử."
    s = snippet(text, ["chi", "bo", "dien", "tu"])
    assert "điện tử" in marked(s)[-2] + " " + marked(s)[-1]
    assert s.text.startswith(ELLIPSIS), "the window is at the end, where every term is"


def _matches_by_pattern(folded: str, words: list[tuple[str, bool]]) -> list[tuple[int, int, str]]:
    """The rule as one regular expression: at a word start, the longest term that fits."""
    if not words:
        return []
    ordered = sorted(words, key=lambda word: -len(word[0]))
    alternatives = "|".join(re.escape(word) + ("" if prefix else "(?![^ ])") for word, prefix in ordered)
    return [(m.start(), m.end(), m[0]) for m in re.finditer(f"(?<![^ ])(?:{alternatives})", folded)]


@given(
    st.text(st.sampled_from("abcdđêơ .-\n")),
    st.lists(st.text(st.sampled_from("abcdeo"), min_size=1, max_size=3), max_size=4),
)
def test_matches_are_those_of_the_word_start_rule(text: str, terms: list[str]) -> None:
    # _find_matches looks terms up with str.find; it must find exactly what the rule says.
    folded, words = search_text(text), search_words(terms)
    assert _find_matches(folded, words) == _matches_by_pattern(folded, words)
