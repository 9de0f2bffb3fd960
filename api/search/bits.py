"""Sets of section slots as Python ints, for the search index (api/search/index.py).

Bit ``slot`` stands for the section in that slot. AND, OR and counting bits over 10,000 sections are one C
loop each, where a Python set or a loop over arrays pays the interpreter per section: a search is a
handful of these operations whatever the number of sections that match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NONZERO = re.compile(rb"[^\x00]")
_BITS = tuple(tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256))


def bit_set(slots: Iterable[int]) -> int:
    """The slots as one int, bit ``slot`` set for each."""
    slots = list(slots)
    if not slots:
        return 0
    buffer = bytearray((max(slots) >> 3) + 1)
    for slot in slots:
        buffer[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(buffer, "little")


def slots_of(bits: int, limit: int) -> list[int]:
    """The first ``limit`` set bits of ``bits``, lowest first (zero bytes are skipped in C)."""
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    found: list[int] = []
    for match in _NONZERO.finditer(data):
        at = match.start()
        base = at << 3
        found.extend(base + bit for bit in _BITS[data[at]])
        if len(found) >= limit:
            return found[:limit]
    return found


def add_counts(counters: list[int], bits: int, shift: int) -> None:
    """Add 2**shift to the counter of every slot in ``bits``; ``counters[i]`` holds the counters' bit i."""
    carry = bits
    level = shift
    while carry:
        while len(counters) <= level:
            counters.append(0)
        counters[level], carry = counters[level] ^ carry, counters[level] & carry
        level += 1


def highest(matching: int, counters: list[int], wanted: int) -> list[tuple[int, int]]:
    """``(points, slots)`` of the highest counters among ``matching``, best first, until ``wanted``
    slots are covered (radix selection over the counters' bits: only the branches needed are taken)."""
    tiers: list[tuple[int, int]] = []
    covered = 0

    def select(bits: int, level: int, value: int) -> None:
        nonlocal covered
        if level < 0:
            tiers.append((value, bits))
            covered += bits.bit_count()
            return
        high = bits & counters[level]
        if high:
            select(high, level - 1, value | 1 << level)
        low = bits & ~counters[level]
        if low and covered < wanted:
            select(low, level - 1, value)

    select(matching, len(counters) - 1, 0)
    return tiers
