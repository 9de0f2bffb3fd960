"""Fold Vietnamese text for search, one output character per input character.

``nghi quyet`` must find ``nghị quyết`` and ``dang`` must find ``Đảng`` without PostgreSQL's ``unaccent``
(a contrib extension the embedded server does not ship), so Python folds and PostgreSQL indexes the
folded text with the ``simple`` configuration. Folding never changes the length of the NFC-normalised
text: a match found in the folded text sits at the same offsets in the original, which is where
snippets are cut and highlighted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

MAX_TERM_LENGTH = 40
"""Longer query words are cut to this many characters and then matched as prefixes."""
MAX_TERMS = 12
MAX_QUERY_LENGTH = 1000
"""Characters of a query looked at: enough for any real question, and folding it stays cheap."""

# Letters that read as the Vietnamese đ but have no decomposition to strip: Đ/đ themselves, and the
# Icelandic eth and African D that legacy fonts and converters put in their place.
_D_LIKE = frozenset("ĐđÐðƉɖ")

# Characters folded up front, so that ordinary text is one str.translate over a plain dict: Latin with
# its Vietnamese letters, combining marks, and general punctuation (curly quotes, dashes, ellipsis).
_TABLE_RANGES = ((0x0000, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF), (0x2000, 0x206F))
_OUTSIDE_TABLE = re.compile("[^" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _TABLE_RANGES) + "]")
# Characters folded on demand are remembered up to this many; past it they are folded each time, so
# hostile input can cost time but never grow memory without bound.
_CACHE_LIMIT = 20_000


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    # NFKD rather than NFD: fullwidth letters and digits from phone keyboards, superscripts and the
    # no-break space also fold to what a member would type, whenever that is still one character.
    base = "".join(
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.category(part).startswith("M")
    )
    if len(base) != 1:
        base = char
    if base in _D_LIKE:
        return "d"
    for candidate in (base.lower(), char.lower()):
        if len(candidate) == 1:
            return candidate
    return char


def _search_char(char: str) -> str:
    # Punctuation becomes a space so that PostgreSQL's parser sees only the words query_terms sees:
    # given "57-nq/tw" or "1.000.000" it would otherwise index 'nq/tw' and '1.000.000' as single words.
    folded = _fold_char(char)
    return folded if folded.isalnum() else " "


class _FoldingTable(dict[int, str]):
    """A translation table that folds characters it has not seen yet, remembering a bounded number."""

    def __init__(self, known: dict[int, str], fold_char: Callable[[str], str]) -> None:
        super().__init__(known)
        self._fold_char = fold_char
        self._limit = len(known) + _CACHE_LIMIT

    def __missing__(self, code: int) -> str:
        folded = self._fold_char(chr(code))
        if len(self) < self._limit:
            self[code] = folded
        return folded


def _table(fold_char: Callable[[str], str]) -> dict[int, str]:
    return {code: fold_char(chr(code)) for low, high in _TABLE_RANGES for code in range(low, high + 1)}


# A plain dict is about a third faster under str.translate than a subclass, so text made only of
# table characters (nearly all Vietnamese text) uses it; anything else goes through the subclass.
_FOLD = _table(_fold_char)
_FOLD_ANY = _FoldingTable(_FOLD, _fold_char)
_SEARCH = _table(_search_char)
_SEARCH_ANY = _FoldingTable(_SEARCH, _search_char)


def _translate(text: str, table: dict[int, str], fallback: dict[int, str]) -> str:
    text = unicodedata.normalize("NFC", text)
    return text.translate(table if _OUTSIDE_TABLE.search(text) is None else fallback)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its diacritics, keeping one character per character.

    The text is NFC-normalised first; then each character becomes exactly one character: Vietnamese
    (and other Latin) vowels lose their marks, đ/Đ become ``d``, letters are lower-cased, and a
    character that cannot be folded to a single one is kept as it is. So
    ``len(fold(t)) == len(unicodedata.normalize("NFC", t))`` for every string, and offsets in the
    folded text are offsets in the NFC-normalised original.

    Args:
        text: Any text.

    Returns:
        The folded text, e.g. ``"đảng viên"`` -> ``"dang vien"``.
    """
    return _translate(text, _FOLD, _FOLD_ANY)


def search_text(text: str) -> str:
    """:func:`fold` ``text``, then turn every character that is not a letter or digit into a space.

    This is what to store and index (``to_tsvector('simple', search_text(...))``): it keeps
    :func:`fold`'s offsets, and PostgreSQL's parser finds in it exactly the words :func:`query_terms`
    finds in a query, where on folded punctuation it would index ``57-nq/tw`` as ``57`` and ``nq/tw``
    and never match a query for ``nq``.

    Args:
        text: Any text.

    Returns:
        Folded letters and digits, every other character a space; as long as ``fold(text)``.
    """
    return _translate(text, _SEARCH, _SEARCH_ANY)


def query_terms(query: str, *, max_terms: int = MAX_TERMS) -> list[str]:
    """The folded words of a member's search query, for :func:`to_tsquery_text` and snippets.

    Words are runs of letters and digits after folding; everything else separates them. Repeats are
    dropped (first kept), at most ``max_terms`` words are kept, each cut to ``MAX_TERM_LENGTH``
    characters, and only the first ``MAX_QUERY_LENGTH`` characters of the query are read.

    Args:
        query: The query as typed, e.g. ``"Nghị quyết, 57-NQ/TW"``.
        max_terms: How many words to keep at most.

    Returns:
        The terms, e.g. ``["nghi", "quyet", "57", "nq", "tw"]``; an empty list means there is nothing
        to search for.
    """
    terms: list[str] = []
    seen: set[str] = set()
    for word in search_text(query[:MAX_QUERY_LENGTH]).split():
        if len(terms) >= max_terms:
            break
        term = word[:MAX_TERM_LENGTH]
        if term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


def clean_terms(terms: Iterable[str]) -> list[str]:
    """Fold and split terms from any source into distinct words of letters and digits only.

    Terms from :func:`query_terms` come back unchanged; anything else (upper case, accents,
    punctuation, tsquery operators) is made safe the same way a query is.
    """
    words = (word[:MAX_TERM_LENGTH] for term in terms for word in search_text(term).split())
    return list(dict.fromkeys(words))


def search_words(terms: Iterable[str]) -> list[tuple[str, bool]]:
    """The cleaned terms (:func:`clean_terms`), each with whether it matches as a word prefix.

    The last term is a prefix, since the member may still be typing it, and so is any term cut to
    ``MAX_TERM_LENGTH``; the others match whole words. :func:`to_tsquery_text` and snippets both go by
    this, so what is highlighted is what PostgreSQL matched.
    """
    words = clean_terms(terms)
    last = len(words) - 1
    return [(word, index == last or len(word) >= MAX_TERM_LENGTH) for index, word in enumerate(words)]


def to_tsquery_text(terms: list[str]) -> str:
    """Text for ``to_tsquery('simple', $1)`` that finds sections containing every term.

    Terms are ANDed; the last one matches as a prefix, as does any term cut to ``MAX_TERM_LENGTH``
    (:func:`search_words`). Each term is cleaned again (:func:`clean_terms`), so the result holds only
    letters and digits, spaces, ``&`` and ``:*``: nothing a caller passes can add tsquery syntax.
    Letters outside ASCII that survive folding (Chinese, Cyrillic) are kept; PostgreSQL's ``simple``
    parser reads them as words in the query and in :func:`search_text` alike.

    Args:
        terms: Usually the output of :func:`query_terms`.

    Returns:
        E.g. ``"nghi & quyet:*"``.

    Raises:
        ValueError: There is no term left to search for; the caller should not run the query.
    """
    words = search_words(terms)
    if not words:
        raise ValueError("no search terms")
    return " & ".join(f"{word}:*" if prefix else word for word, prefix in words)


def prefix_expansion(terms: list[str]) -> tuple[str | None, str]:
    """The two halves of :func:`to_tsquery_text` that the search needs to expand the last term's prefix.

    The search looks up the indexed words starting with the last term (which is always a prefix) and
    asks the index for them exactly, ANDed with the other terms (api/search/queries.sql).

    Args:
        terms: Usually the output of :func:`query_terms`.

    Returns:
        The tsquery text of every term but the last (``None`` when there is only one), each term a
        prefix or a whole word as in :func:`to_tsquery_text`; and the last term, e.g.
        ``("nghi & quyet", "hoc")`` for ``["nghi", "quyet", "hoc"]``.

    Raises:
        ValueError: There is no term left to search for; the caller should not run the query.
    """
    words = search_words(terms)
    if not words:
        raise ValueError("no search terms")
    head = " & ".join(f"{word}:*" if prefix else word for word, prefix in words[:-1])
    return head or None, words[-1][0]
