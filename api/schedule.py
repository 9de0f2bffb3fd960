"""What the worker processes run periodically, and how often (the mechanism is :mod:`api.scheduler`)."""

from __future__ import annotations

from datetime import timedelta

from api.auth.jobs import purge_ended
from api.feedback.jobs import escalate_overdue
from api.idempotency.jobs import purge_expired
from api.meetings.jobs import materialise_due
from api.outbox.jobs import purge_dispatched
from api.scheduler import PeriodicJob

SCHEDULE: tuple[PeriodicJob, ...] = (
    # Deadlines are days long: a minute late is nothing, and a run that finds nothing is one query on an index of
    # the threads waiting for an answer.
    PeriodicJob(name="feedback.escalate_overdue", every=timedelta(minutes=1), run=escalate_overdue),
    # Templates run at least a month ahead (months_ahead >= 1), and creating or changing one materialises it
    # at once: the hourly run only moves horizons on as the months turn.
    PeriodicJob(
        name="meetings.materialise_due", every=timedelta(hours=1), timeout=timedelta(minutes=10), run=materialise_due
    ),
    # Keys live a day; an hour more or less is nothing.
    PeriodicJob(name="idempotency.purge_expired", every=timedelta(hours=1), run=purge_expired),
    # Hourly, not daily: each deleted session announces its account to every API worker, which then scans its
    # cache of callers (migrations/0006), so an hour's few endings cost little where a day's would come at once.
    PeriodicJob(name="sessions.purge_ended", every=timedelta(hours=1), run=purge_ended),
    # A row per notification, not per member, kept a month: once a day is enough, and a run is one short scan.
    PeriodicJob(name="outbox.purge_dispatched", every=timedelta(days=1), run=purge_dispatched),
)
"""Every periodic job; each runs once per interval across all workers, the first time soon after start."""
