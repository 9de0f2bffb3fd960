"""The readable handbook as an inverted index in each worker's memory, searched without PostgreSQL.

A search nobody asked before cost the machine about 3.5 ms, most of it PostgreSQL's (the GIN bitmap, the
rank, the scope joins; decisions 29 and 34). Here the same words PostgreSQL indexed (each section's
``search_tsv``, read as text, never re-tokenised in Python) point to the sections holding them, and a
search is a few operations on Python ints used as bit sets, done in C; PostgreSQL is asked only for the
text of the sections returned (api/search/service.py). The index is kept current by
api/search/live_index.py; this module is the data structure alone and never awaits.

Layout, compact on purpose (10,000 sections hold about 1.5 million word postings):

- every section has a *slot*, a small int; a word's postings are a bit set of slots (a Python int: AND
  and OR over 10,000 sections are one C loop each), or, for a word of at most ``RARE`` sections, a
  sorted ``array`` of slots (a bit set costs up to a bit per section whoever holds the word);
- per common word, three more bit sets precomputed: the sections holding it at least twice, at least
  four times, and in their title. Ranking adds them up per section in bit-sliced counters (a few
  more big-int operations, not a loop over the matches), so *every* matching section is ranked by
  them, where the statement ranks the first 200 it meets;
- per section, the ids of its words, those three flags for each, and every position of each word: how
  close the query's words stand is measured on the best few sections only (``PROXIMITY_EXTRA``), the
  one part that costs a loop per section;
- the vocabulary sorted, so the word being typed expands to the words starting with it by ``bisect``;
- per document, its audience (unit and path) and the bit set of its slots, so a caller's readable
  sections are one OR over a few documents, cached per scope until the next change.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any, NamedTuple, Protocol, cast

from api.search.bits import add_counts, bit_set, highest, slots_of
from api.search.snippets import plain_text

RARE = 32
"""A word of at most this many sections keeps a sorted array of slots; a commoner one bit sets."""
PROXIMITY_POSITIONS = 8
"""Occurrences of the rarer of two words looked at for their distance."""
PROXIMITY_EXTRA = 5
"""Sections beyond the limit, the best by their words' points, whose words' proximity is measured."""
CLASS_EXPANSIONS = 16
"""A prefix expanding to more words than this ranks by presence only (its points and proximity would
cost a lookup per word and section)."""
POINT = 0.02
"""Rank of one point per query word: a word present is 1, twice 1 more, four times 1 more, in the title 2."""
PROXIMITY = 0.04
"""Rank of the query's words standing side by side (ts_rank's weighting of their distance, in query order):
worth two points a word, as a title is, so it reorders sections of about the same points."""
READABLE_CACHED = 1024
"""Scopes whose readable sections are remembered between changes."""

TF2, TF4, TITLE = 1, 2, 4
"""A word's flags in a section: present at least twice, at least four times, in the title."""
_CLASSES = ((TF2, 0), (TF4, 0), (TITLE, 1))
"""Each flag and its points as a power of two (title: 2 points)."""

# A tsvector as text: 'word':1,5,9 'other':3 (positions may carry a weight letter; ours never do).
_WEIGHTED = re.compile(r"[0-9][A-D]")
_NO_WEIGHT = str.maketrans("", "", "ABCD")
_BOUNDARY = chr(0x10FFFF)


def _closeness(distance: int) -> float:
    # ts_rank's weight of two words `distance` positions apart: about 1 side by side, 0.16 at ten apart.
    return 0.0 if distance > 100 else 1.0 / (1.005 + 0.05 * math.exp(distance / 1.5 - 2))


_CLOSENESS = tuple(_closeness(distance) for distance in range(102))


class Row(Protocol):
    """A row of ``index_sections`` (an asyncpg Record, or a dict in tests)."""

    def __getitem__(self, key: str, /) -> Any: ...


class _Section(NamedTuple):
    section_id: str
    document_id: str
    title: str
    text: str
    """The body as plain text for snippets (api/search/snippets.py ``plain_text``)."""
    words: array[int]
    """Word ids, sorted (for ``bisect``)."""
    order: array[int]
    """Where each of ``words`` is in PostgreSQL's order of the words, which the other fields follow."""
    flags: array[int]
    """``TF2 | TF4 | TITLE`` of each word."""
    starts: array[int]
    """Where each word's positions start in ``positions`` (one more entry than ``words``)."""
    positions: array[int]


class _Document:
    __slots__ = ("audience_path", "audience_unit_id", "slots", "title")

    def __init__(self, audience_unit_id: int, audience_path: Sequence[int], title: str) -> None:
        self.audience_unit_id = audience_unit_id
        self.audience_path = frozenset(audience_path)
        self.title = title
        self.slots = 0


class Ranked(NamedTuple):
    section_id: str
    document_id: str
    document_title: str
    title: str
    text: str
    rank: float


class SearchIndex:
    """Live sections of published documents: which hold each word, and who may read them."""

    def __init__(self) -> None:
        self._word_ids: dict[str, int] = {}
        self._vocabulary: list[str] = []
        self._postings: list[int | array[int]] = []
        self._classes: list[list[int] | None] = []
        """Per word with bit-set postings: its TF2, TF4 and TITLE bit sets."""
        self._sections: list[_Section | None] = []
        self._slot_of: dict[str, int] = {}
        self._documents: dict[str, _Document] = {}
        self._readable: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
        self._building = True
        self._built_classes: dict[int, list[list[int]]] = {}
        """While building: per word, its slots of each class (TF2, TF4, TITLE)."""

    def __len__(self) -> int:
        return len(self._slot_of)

    def add(self, row: Row) -> None:
        """Index one section from a row of ``index_sections`` (replacing what was held for it)."""
        section_id = str(row["section_id"])
        self.remove(section_id)
        document_id = str(row["document_id"])
        document = self._document(document_id, row["audience_unit_id"], row["audience_path"], row["document_title"])
        lexemes, counts, positions = _parse(row["lexemes"])
        word_ids = self._word_ids
        known = [word_ids.get(lexeme) for lexeme in lexemes]
        if None in known:
            for lexeme, word_id in zip(lexemes, known, strict=True):
                if word_id is None:
                    self._word_id(lexeme)
            known = [word_ids[lexeme] for lexeme in lexemes]
        ids = cast("list[int]", known)
        flags = array("B", [(count >= 2) | (count >= 4) << 1 for count in counts])
        for word in row["title_words"] or ():
            word_id = word_ids.get(word)
            if word_id is not None and word_id in ids:
                flags[ids.index(word_id)] |= TITLE
        order = sorted(range(len(ids)), key=ids.__getitem__)
        slot = len(self._sections)
        self._sections.append(
            _Section(
                section_id,
                document_id,
                row["title"],
                plain_text(row["body_md"]),
                array("I", [ids[at] for at in order]),
                array("I", order),
                flags,
                array("I", accumulate(counts, initial=0)),
                positions,
            )
        )
        if self._building:
            self._append(ids, flags, slot)
        else:
            for word_id, flag in zip(ids, flags, strict=True):
                self._post(word_id, slot, flag)
        self._slot_of[section_id] = slot
        document.slots |= 1 << slot
        self._readable.clear()

    def _document(self, document_id: str, audience_unit_id: int, audience_path: Sequence[int], title: str) -> _Document:
        document = self._documents.get(document_id)
        if document is None or document.audience_unit_id != audience_unit_id:
            previous = document
            document = self._documents[document_id] = _Document(audience_unit_id, audience_path, title)
            if previous is not None:
                document.slots = previous.slots
        document.title = title
        return document

    def _append(self, ids: list[int], flags: array[int], slot: int) -> None:
        # While building: arrays only, the classes as lists (finish() makes bit sets of both).
        postings = self._postings
        for word_id in ids:
            postings[word_id].append(slot)  # type: ignore[union-attr]  # arrays while building
        built = self._built_classes
        for at, flag in enumerate(flags):
            if flag:
                lists = built.get(ids[at]) or built.setdefault(ids[at], [[], [], []])
                for index, (bit, _) in enumerate(_CLASSES):
                    if flag & bit:
                        lists[index].append(slot)

    def finish(self) -> None:
        """End the first build: the postings of common words, appended to arrays so far, become bit sets.
        Until then :meth:`add` only appends, once per word and section."""
        for word_id, postings in enumerate(self._postings):
            if not isinstance(postings, int) and len(postings) > RARE:
                self._postings[word_id] = bit_set(postings)
                self._classes[word_id] = [bit_set(slots) for slots in self._built_classes.get(word_id, [[], [], []])]
        self._built_classes.clear()
        self._building = False

    def remove(self, section_id: str) -> None:
        """Forget a section (unknown ones are ignored)."""
        slot = self._slot_of.pop(section_id, None)
        if slot is None:
            return
        section = self._sections[slot]
        assert section is not None  # noqa: S101 - a slot in _slot_of always holds its section
        self._sections[slot] = None
        keep = ~(1 << slot)
        for word_id in section.words:
            postings = self._postings[word_id]
            if isinstance(postings, int):
                self._postings[word_id] = postings & keep
                classes = self._classes[word_id]
                assert classes is not None  # noqa: S101 - bit-set postings always have their classes
                classes[:] = [bits & keep for bits in classes]
            else:
                del postings[bisect_left(postings, slot)]
        document = self._documents[section.document_id]
        document.slots &= keep
        if not document.slots:
            del self._documents[section.document_id]
        self._readable.clear()

    def replace(self, section_ids: Iterable[str], document_ids: Iterable[str], rows: Iterable[Row]) -> None:
        """Forget the sections and documents announced as changed, then index what they hold now."""
        for section_id in section_ids:
            self.remove(section_id)
        for document_id in document_ids:
            document = self._documents.get(document_id)
            if document is not None:
                for slot in slots_of(document.slots, len(self._sections)):
                    section = self._sections[slot]
                    if section is not None:
                        self.remove(section.section_id)
        for row in rows:
            self.add(row)

    def search(
        self, words: list[tuple[str, bool]], ancestors: Sequence[int], staff: Sequence[int], *, limit: int
    ) -> list[Ranked]:
        """The best ``limit`` sections holding every word that the scope may read, best first.

        Every matching section is ranked by its points (each word present, often, in the title);
        the best ``limit + PROXIMITY_EXTRA`` of them then also by how close the words stand. Equal ranks keep
        the handbook's order.

        Args:
            words: The cleaned query words, each with whether it matches as a prefix
                (api/search/folding.py ``search_words``).
            ancestors: The caller's units at or above their branch (``ContentScope.ancestors``).
            staff: Units in whose subtrees the caller holds a role (``ContentScope.staff``).
            limit: How many sections to return at most.
        """
        terms = [self._expand(word, prefix) for word, prefix in words]
        if not terms or not all(terms):
            return []
        matching = -1
        for term in terms:
            matching &= self._bits(term)
            if not matching:
                return []
        readable = self._readable_slots(ancestors, staff)
        if readable != -1:
            matching &= readable
        if not matching:
            return []
        counters: list[int] = []
        for term in terms:
            if len(term) <= CLASS_EXPANSIONS:
                for index, (flag, shift) in enumerate(_CLASSES):
                    bits = self._class_bits(term, index, flag) & matching
                    if bits:
                        add_counts(counters, bits, shift)
        several = len(terms) > 1
        wanted = limit + PROXIMITY_EXTRA if several else limit
        chosen: list[tuple[int, int]] = []
        for points, bits in highest(matching, counters, wanted) if counters else [(0, matching)]:
            chosen.extend((points, slot) for slot in slots_of(bits, wanted - len(chosen)))
            if len(chosen) >= wanted:
                break
        return self._rank(terms, chosen, limit)

    def _rank(self, terms: list[list[int]], chosen: list[tuple[int, int]], limit: int) -> list[Ranked]:
        count = len(terms)
        sections = self._sections
        ranked: list[tuple[float, int]] = []
        for points, slot in chosen:
            section = sections[slot]
            assert section is not None  # noqa: S101 - postings hold live slots only
            rank = POINT * (count + points) / count
            if count > 1:
                places = [self._positions(section, term) if len(term) <= CLASS_EXPANSIONS else () for term in terms]
                near = sum(_nearest(places[i], places[i + 1]) for i in range(count - 1))
                rank += PROXIMITY * near / (count - 1)
            ranked.append((-round(rank, 6), slot))
        ranked.sort()
        found: list[Ranked] = []
        for negative, slot in ranked[:limit]:
            section = sections[slot]
            assert section is not None  # noqa: S101
            title = self._documents[section.document_id].title
            found.append(Ranked(section.section_id, section.document_id, title, section.title, section.text, -negative))
        return found

    @staticmethod
    def _positions(section: _Section, term: list[int]) -> Sequence[int]:
        starts, positions = section.starts, section.positions
        if len(term) == 1:
            at = _find(section, term[0])
            return positions[starts[at] : starts[at + 1]] if at >= 0 else ()
        found: list[int] = []
        for word_id in term:
            at = _find(section, word_id)
            if at >= 0:
                found.extend(positions[starts[at] : starts[at + 1]])
        found.sort()
        return found

    def _expand(self, word: str, prefix: bool) -> list[int]:  # noqa: FBT001 - as search_words pairs them
        if not prefix:
            word_id = self._word_ids.get(word)
            return [] if word_id is None else [word_id]
        vocabulary = self._vocabulary
        start = bisect_left(vocabulary, word)
        end = bisect_left(vocabulary, word + _BOUNDARY, start)
        return [self._word_ids[found] for found in vocabulary[start:end]]

    def _bits(self, word_ids: list[int]) -> int:
        bits = 0
        loose: list[int] = []
        for word_id in word_ids:
            postings = self._postings[word_id]
            if isinstance(postings, int):
                bits |= postings
            else:
                loose.extend(postings)
        return bits | bit_set(loose) if loose else bits

    def _class_bits(self, word_ids: list[int], index: int, flag: int) -> int:
        bits = 0
        loose: list[int] = []
        for word_id in word_ids:
            classes = self._classes[word_id]
            if classes is not None:
                bits |= classes[index]
            else:
                postings = self._postings[word_id]
                assert not isinstance(postings, int)  # noqa: S101
                loose.extend(slot for slot in postings if self._flags(slot, word_id) & flag)
        return bits | bit_set(loose) if loose else bits

    def _flags(self, slot: int, word_id: int) -> int:
        section = self._sections[slot]
        assert section is not None  # noqa: S101
        return section.flags[_find(section, word_id)]

    def _class_bits_of(self, word_id: int, slots: Iterable[int]) -> list[int]:
        found: list[list[int]] = [[] for _ in _CLASSES]
        for slot in slots:
            flags = self._flags(slot, word_id)
            if flags:
                for index, (flag, _) in enumerate(_CLASSES):
                    if flags & flag:
                        found[index].append(slot)
        return [bit_set(slots) for slots in found]

    def _readable_slots(self, ancestors: Sequence[int], staff: Sequence[int]) -> int:
        """The slots the scope may read as a bit set, -1 when it may read everything (as the SQL's
        ``readable``: the audience unit is one of ``ancestors`` or lies under one of ``staff``)."""
        key = (tuple(ancestors), tuple(staff))
        found = self._readable.get(key)
        if found is None:
            above, below = frozenset(ancestors), frozenset(staff)
            documents = [
                document
                for document in self._documents.values()
                if document.audience_unit_id in above or not below.isdisjoint(document.audience_path)
            ]
            found = 0
            if len(documents) == len(self._documents):
                found = -1
            else:
                for document in documents:
                    found |= document.slots
            if len(self._readable) >= READABLE_CACHED:
                self._readable.clear()
            self._readable[key] = found
        return found

    def _word_id(self, word: str) -> int:
        word_id = self._word_ids.get(word)
        if word_id is None:
            word_id = self._word_ids[word] = len(self._postings)
            self._postings.append(array("I"))
            self._classes.append(None)
            self._vocabulary.insert(bisect_left(self._vocabulary, word), word)
        return word_id

    def _post(self, word_id: int, slot: int, flags: int) -> None:
        postings = self._postings[word_id]
        bit = 1 << slot
        if isinstance(postings, int):
            self._postings[word_id] = postings | bit
            classes = self._classes[word_id]
            assert classes is not None  # noqa: S101
            for index, (flag, _) in enumerate(_CLASSES):
                if flags & flag:
                    classes[index] |= bit
        elif len(postings) < RARE:
            postings.append(slot)
        else:
            postings.append(slot)
            self._postings[word_id] = bit_set(postings)
            self._classes[word_id] = self._class_bits_of(word_id, postings)


def _find(section: _Section, word_id: int) -> int:
    """Where the word is in the section's fields (PostgreSQL's order), -1 when it is not there."""
    words = section.words
    at = bisect_left(words, word_id)
    return section.order[at] if at < len(words) and words[at] == word_id else -1


def _parse(text: str) -> tuple[list[str], list[int], array[int]]:
    """A tsvector's text (``'word':1,5 'other':3``): its words, how many positions each, and all the
    positions in that order. Split in C: a regular expression per word cost the build twice as much."""
    if _WEIGHTED.search(text):
        text = text.translate(_NO_WEIGHT)
    parts = text.split("'")  # lexemes never hold a quote: search_text leaves letters, digits and spaces
    lexemes, listed = parts[1::2], parts[2::2]
    if len(lexemes) != text.count(":"):  # a word without positions (a stripped vector): read one by one
        counts = [part.count(",") + 1 if ":" in part else 0 for part in listed]
    else:
        counts = [part.count(",") + 1 for part in listed]
    numbers = "".join(listed).replace(":", ",").replace(" ", "")
    positions = array("H", map(int, numbers[1:].split(","))) if numbers else array("H")
    return lexemes, counts, positions


def _nearest(first: Sequence[int], second: Sequence[int]) -> float:
    """How close the nearest occurrences of two words stand, as ts_rank weighs it (0 when one is absent)."""
    if not first or not second:
        return 0.0
    if len(first) > len(second):
        first, second = second, first
    # Only distinct positions count: a prefix term may expand to a word another term already is.
    best = 101
    end = len(second)
    for position in first[:PROXIMITY_POSITIONS]:
        after = bisect_right(second, position)
        if after < end and second[after] - position < best:
            best = second[after] - position
        before = bisect_left(second, position, 0, after)
        if before and position - second[before - 1] < best:
            best = position - second[before - 1]
        if best == 1:  # side by side: nothing is nearer
            break
    return _CLOSENESS[best]
