"""Search result snippets: a window of the original, accented text around the best match, matches marked."""

from __future__ import annotations

import functools
import html
import re
import unicodedata

import msgspec

from api.search.folding import search_text, search_words

ELLIPSIS = "…"
DEFAULT_WIDTH = 160
# A cut keeps punctuation touching the words at its ends ("(Đảng", "viên.") up to this many characters.
_EDGE_PUNCTUATION = 3
# Markdown punctuation that would only clutter a snippet; removing characters keeps it readable.
_MARKUP = re.compile(r"[#*_`>|]+|^\s*[-+]\s+|\[|\]\([^)]*\)", re.MULTILINE)
_SPACE = re.compile(r"\s+")
# What html.escape changes (quotes included).
_ESCAPED = re.compile("[&<>\"']")
# When a word is too long to cut after (a URL, a pasted hash), the snippet runs on at most this far.
_MAX_OVERRUN = 40


class Snippet(msgspec.Struct, frozen=True):
    """What a search result shows of a section: some of its text, and where the terms are in it."""

    text: str
    """A window of the NFC-normalised original text, with an ellipsis at each end that was cut."""
    highlights: list[tuple[int, int]]
    """``(start, end)`` of every matched term in ``text``: sorted and non-overlapping."""


def plain_text(markdown: str) -> str:
    """Markdown source as running text for snippets, NFC-normalised."""
    return unicodedata.normalize("NFC", _SPACE.sub(" ", _MARKUP.sub(" ", markdown)).strip())


def snippet(text: str, terms: list[str], *, width: int = DEFAULT_WIDTH) -> Snippet:
    """The part of ``text`` that best shows why it matched ``terms``.

    Terms match folded words as :func:`~api.search.folding.to_tsquery_text` makes PostgreSQL match
    them: whole words, but the last term (and any cut to ``MAX_TERM_LENGTH``) as a word prefix, so
    ``quy`` marks the ``quy`` of ``quyết``. The window of about ``width`` characters holding the most
    distinct terms (then the most matches, then the earliest) is shown, cut between words. Offsets
    are those of the NFC-normalised text, which :func:`~api.search.folding.fold` keeps in step with.

    Args:
        text: The original text of a section.
        terms: Search terms, usually from :func:`~api.search.folding.query_terms`; cleaned again here.
        width: About how many characters of ``text`` to show.

    Returns:
        The window and its highlights; the beginning of the text when no term matches.
    """
    original = unicodedata.normalize("NFC", text)
    folded = _folded(original)
    width = max(width, 1)
    matches = _find_matches(folded, _search_words(tuple(terms)))
    if matches:
        first, last = _best_window(matches, width)
        start, end = _window(original, folded, matches[first][0], matches[last][1], width)
    else:
        start, end = 0, min(len(folded), width)
        end = _cut_end(original, folded, end, min(end, len(folded) - len(folded.lstrip(" "))))
    excerpt = original[start:end]
    lead = len(excerpt) - len(excerpt.lstrip())
    body = excerpt.strip()
    before = ELLIPSIS if original[:start].strip() else ""
    after = ELLIPSIS if original[end:].strip() else ""
    shift = len(before) - start - lead
    highlights = [(s + shift, e + shift) for s, e, _ in matches if s >= start and e <= end]
    return Snippet(text=f"{before}{body}{after}", highlights=highlights)


def highlight_html(s: Snippet) -> str:
    """The snippet as HTML: every character escaped, each highlight wrapped in ``<mark>``.

    Highlights that overlap an earlier one or fall outside the text are clipped or skipped, so even a
    hand-made :class:`Snippet` yields well-formed markup.
    """
    # Most snippets hold nothing to escape: then the parts are joined as they are.
    escape = html.escape if _ESCAPED.search(s.text) else str
    parts: list[str] = []
    position = 0
    for wanted_start, wanted_end in sorted(s.highlights):
        start, end = max(wanted_start, position), min(wanted_end, len(s.text))
        if start >= end:
            continue
        parts += (escape(s.text[position:start]), "<mark>", escape(s.text[start:end]), "</mark>")
        position = end
    parts.append(escape(s.text[position:]))
    return "".join(parts)


@functools.lru_cache(maxsize=1024)
def _search_words(terms: tuple[str, ...]) -> list[tuple[str, bool]]:
    # Every hit of a search has its snippet made with the same terms.
    return search_words(terms)


@functools.lru_cache(maxsize=10_000)
def _folded(original: str) -> str:
    # The same sections come up in one search after another; folding a whole section costs more
    # than everything else a snippet does, and it depends on the text alone.
    return search_text(original)


def _find_matches(folded: str, words: list[tuple[str, bool]]) -> list[tuple[int, int, str]]:
    """Every ``(start, end, term)`` where a term begins a word of ``folded``; the longest term wins.

    ``str.find`` per term rather than one regular expression: the pattern was tried at every
    character of the section, the largest part of a snippet's cost; ``find`` skips to the
    next occurrence in C. Every match is kept (a section is at most 200,000 characters), so a rare
    term is found next to a common one wherever they are.
    """
    # search_text leaves only letters, digits and spaces, and terms are letters and digits: a word
    # starts where no non-space precedes, and a whole-word term is followed by a space or the end.
    # Two matches at different word starts lie in different words, so they never overlap.
    # Looking for the term after a space skips, in C, its occurrences inside words ("co" in "cong").
    found: dict[int, tuple[int, str]] = {}
    length = len(folded)
    for word, prefix in words:
        size = len(word)
        spaced = " " + word
        first = folded.startswith(word)
        at = 0 if first else folded.find(spaced) + 1  # 0: not found, unless the text starts with it
        while first or at:
            first = False
            end = at + size
            if (prefix or end == length or folded[end] == " ") and found.get(at, (0, ""))[0] < end:
                found[at] = (end, word)
            at = folded.find(spaced, at) + 1
    return [(start, end, word) for start, (end, word) in sorted(found.items())]


def _best_window(matches: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """Indexes of the first and last match of the run within ``width`` holding the most distinct terms."""
    # A plain dict and local names: this loop runs over every match of every hit of a search.
    counts: dict[str, int] = {}
    best_distinct = best_size = best_left = best_right = 0
    left = 0
    for right, (_, end, term) in enumerate(matches):
        counts[term] = counts.get(term, 0) + 1
        while left < right and end - matches[left][0] > width:
            gone = matches[left][2]
            remaining = counts[gone] - 1
            if remaining:
                counts[gone] = remaining
            else:
                del counts[gone]
            left += 1
        distinct, size = len(counts), right - left + 1
        if distinct > best_distinct or (distinct == best_distinct and size > best_size):
            best_distinct, best_size, best_left, best_right = distinct, size, left, right
    return best_left, best_right


def _window(original: str, folded: str, first: int, last: int, width: int) -> tuple[int, int]:
    """Start and end of about ``width`` characters around ``[first, last)``, cut between words."""
    size = max(width, last - first)
    start = max(0, first - (size - (last - first)) // 2)
    end = min(len(folded), start + size)
    start = max(0, end - size)
    return _cut_start(original, folded, start, first), _cut_end(original, folded, end, last)


def _cut_start(original: str, folded: str, start: int, first: int) -> int:
    # Move forward to the next word start, never past the first match (which is one).
    if start > 0 and (folded[start - 1] != " " or folded[start] == " "):
        space = folded.find(" ", start, first)
        start = first if space < 0 else space
        while start < first and folded[start] == " ":
            start += 1
    for _ in range(_EDGE_PUNCTUATION):
        if start == 0 or folded[start - 1] != " " or original[start - 1].isspace():
            break
        start -= 1
    return start


def _cut_end(original: str, folded: str, end: int, last: int) -> int:
    if end < len(folded) and (folded[end] != " " or folded[end - 1] == " "):
        space = folded.rfind(" ", last, end + 1)
        if space < 0:
            # The last match's word runs past the window: finish the word, within reason.
            space = folded.find(" ", end, end + _MAX_OVERRUN)
            end = end if space < 0 else space
        else:
            end = space
            while end > last and folded[end - 1] == " ":
                end -= 1
    for _ in range(_EDGE_PUNCTUATION):
        if end == len(folded) or folded[end] != " " or original[end].isspace():
            break
        end += 1
    return end
