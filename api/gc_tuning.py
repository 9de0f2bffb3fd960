"""The garbage collector's thresholds for a serving worker.

With Python's defaults (700, 10, 10), a worker under load ran a full collection about once a second,
each taking some 100 ms and freeing nothing: every request that spans several young collections (a
province's read receipts build some 3,000 rows) pushes its objects into the older generations, and
the full collection then walks every long-lived object of the worker's caches. Those pauses were the
slowest answers of GetNoticeReceipts (p99 116-141 ms against a median of 21-31 ms). Collecting the
youngest generation after 50,000 allocations instead of 700 lets a request's objects die young, before
any collection sees them; the full collections stopped and the p99 fell to 43-54 ms (bench/README.md,
notices_feed). A young collection now takes a few milliseconds more, rarely.
"""

from __future__ import annotations

import gc

SERVING_THRESHOLDS = (50_000, 20, 10)


def tune_for_serving() -> None:
    """Set the thresholds above; only for server workers, whose heap holds the caches."""
    gc.set_threshold(*SERVING_THRESHOLDS)
