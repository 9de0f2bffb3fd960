-- Attachments of documents: the bytes live in the blob store, addressed by their SHA-256.
create table attachments (
    id           uuid primary key default gen_random_uuid(),
    document_id  uuid not null references documents (id) on delete cascade,
    sha256       bytea not null check (length(sha256) = 32),
    media_type   text not null check (media_type in ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
    size_bytes   bigint not null check (size_bytes > 0),
    file_name    text not null check (length(file_name) between 1 and 200),
    created_by   uuid references accounts (id),
    created_at   timestamptz not null default now()
);
create index attachments_document on attachments (document_id, created_at);
