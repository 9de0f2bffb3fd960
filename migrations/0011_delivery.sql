-- Web Push delivery: the fan-out marker on outbox rows, finished chunks, and per-notification figures.

-- dispatched_at says "expanded into inboxes"; fanned_out_at says "every chunk job is enqueued". A
-- dispatcher that dies between the two finds the row again by this index and re-plans it; chunks that
-- already finished are recognised by push_chunks and skipped. Prune outbox rows only once fanned out.
alter table outbox add column fanned_out_at timestamptz;
create index outbox_fanout_pending on outbox (id)
    where topic = 'notification' and dispatched_at is not null and fanned_out_at is null;

-- One row per finished chunk job (and per retry round of one), written in the same transaction as
-- its figures, so that a job run twice (re-planned, or retried by the queue) sends nothing twice.
create table push_chunks (
    key        text primary key check (length(key) <= 200),
    outbox_id  bigint not null,
    done_at    timestamptz not null default now()
);
create index push_chunks_outbox on push_chunks (outbox_id);

-- What happened to one notification's pushes. targeted is set when the fan-out is complete; the
-- other counters grow as chunks finish. failed: retries exhausted (5xx, 429, timeouts).
create table push_figures (
    outbox_id     bigint primary key,
    targeted      integer not null default 0,
    sent          integer not null default 0,
    gone          integer not null default 0,
    too_large     integer not null default 0,
    config_error  integer not null default 0,
    rejected      integer not null default 0,
    failed        integer not null default 0,
    retried       integer not null default 0,
    fanned_out_at timestamptz,
    updated_at    timestamptz not null default now()
);
