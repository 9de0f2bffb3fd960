-- name: unit_paths
-- The paths of some units (the caller's branch and the units of their roles).
select id, path from org_units where id = any($1::bigint[])

-- name: list_documents
-- Documents the caller may read ($1 ancestors, $2 staff subtrees) or edit ($3 editor subtrees).
select d.id, d.slug, d.kind, d.title, d.summary, d.audience_unit_id, d.status, d.position, d.requires_ack,
       d.revision, d.updated_at, d.published_at
from documents d
join org_units au on au.id = d.audience_unit_id
where (d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[]))
   or au.path && $3::bigint[]
order by d.position, d.title

-- name: get_document
-- One document with its audience unit's path, for the visibility check.
select d.id, d.slug, d.kind, d.title, d.summary, d.audience_unit_id, d.status, d.position, d.requires_ack,
       d.revision, d.updated_at, d.published_at, au.path as audience_path
from documents d join org_units au on au.id = d.audience_unit_id
where d.id = $1

-- name: document_sections
-- The live sections of a document in order, with whether the caller acknowledged their current version.
select s.id, s.position, s.title, s.revision, encode(s.content_hash, 'hex') as content_hash, s.requires_ack,
       encode(s.ack_hash, 'hex') as ack_hash,
       exists (select 1 from acknowledgements a where a.account_id = $2 and a.section_id = s.id
               and a.ack_hash = s.ack_hash) as acknowledged
from sections s
where s.document_id = $1 and s.deleted_at is null
order by s.position

-- name: get_section
-- One live section with its document's status and audience path, for the visibility check.
select s.id, s.document_id, s.position, s.title, s.body_md, s.body_html, s.revision,
       encode(s.content_hash, 'hex') as content_hash, s.requires_ack, encode(s.ack_hash, 'hex') as ack_hash,
       s.updated_at, d.status, d.audience_unit_id, au.path as audience_path
from sections s
join documents d on d.id = s.document_id
join org_units au on au.id = d.audience_unit_id
where s.id = $1 and s.deleted_at is null

-- name: insert_document
-- Create a draft document.
insert into documents (slug, kind, title, summary, audience_unit_id, requires_ack, position, created_by)
values ($1, $2, $3, $4, $5, $6, $7, $8)
returning id

-- name: update_document
-- Apply an editor's change if the document is still at the revision they started from.
update documents
set title = $3, summary = $4, status = $5, audience_unit_id = $6, requires_ack = $7, position = $8,
    revision = revision + 1, updated_at = now(),
    published_at = case when $5 = 'published' and published_at is null then now() else published_at end
where id = $1 and revision = $2
returning revision

-- name: bump_document
-- A structural change (sections added, moved, removed): members' offline copies must re-read the order.
update documents set revision = revision + 1, updated_at = now() where id = $1

-- name: next_position
-- The position after the document's last live section.
select coalesce(max(position) + 1, 0) from sections where document_id = $1 and deleted_at is null

-- name: make_room
-- Shift sections down to insert one at a position.
update sections set position = position + 1
where document_id = $1 and position >= $2 and deleted_at is null

-- name: insert_section
-- Create a section (its first revision is recorded separately).
insert into sections (document_id, position, title, body_md, body_html, search_text, content_hash, ack_hash,
                      requires_ack)
values ($1, $2, $3, $4, $5, $6, $7, $7, $8)
returning id

-- name: update_section
-- Apply an edit if the section is still at the revision the editor started from.
update sections
set title = $3, body_md = $4, body_html = $5, search_text = $6, content_hash = $7,
    ack_hash = case when $8 then $7 else ack_hash end, requires_ack = $9, revision = revision + 1,
    updated_at = now()
where id = $1 and revision = $2 and deleted_at is null
returning revision

-- name: delete_section
-- Remove a section; the row stays as a tombstone so offline copies learn it is gone.
update sections set deleted_at = now(), updated_at = now()
where id = $1 and revision = $2 and deleted_at is null
returning document_id

-- name: insert_revision
-- Keep every revision of a section: who changed what, when.
insert into section_revisions (section_id, revision, title, body_md, material, edited_by)
values ($1, $2, $3, $4, $5, $6)

-- name: list_revisions
-- A section's revisions, newest first.
select r.revision, r.title, r.material, r.edited_by, a.display_name as editor_name, r.edited_at
from section_revisions r left join accounts a on a.id = r.edited_by
where r.section_id = $1
order by r.revision desc

-- name: get_revision
-- One revision's text.
select revision, title, body_md from section_revisions where section_id = $1 and revision = $2

-- name: acknowledge
-- Record that the caller read this version (a replay changes nothing).
insert into acknowledgements (account_id, section_id, ack_hash) values ($1, $2, $3)
on conflict do nothing

-- name: get_acknowledgement
-- When the caller acknowledged this version.
select acknowledged_at from acknowledgements where account_id = $1 and section_id = $2 and ack_hash = $3

-- name: sync_cursor
-- The oldest transaction still running: every change by an older one is visible now.
select pg_snapshot_xmin(pg_current_snapshot())::text

-- name: offline_documents
-- Published documents the caller may keep offline, changed since a cursor ('0': all).
select d.id, d.slug, d.kind, d.title, d.summary, d.revision, d.position, d.requires_ack
from documents d join org_units au on au.id = d.audience_unit_id
where d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[])
  and d.change_xid >= $3::xid8
order by d.position, d.title

-- name: offline_section_refs
-- The live sections of some documents: id, place and version only.
select s.id, s.document_id, s.position, encode(s.content_hash, 'hex') as content_hash
from sections s
where s.document_id = any($1::uuid[]) and s.deleted_at is null
order by s.document_id, s.position

-- name: offline_sections
-- Live sections of readable published documents, written since a cursor, with their text.
select s.id, s.document_id, s.position, s.title, s.body_html, encode(s.content_hash, 'hex') as content_hash,
       s.revision, s.requires_ack, encode(s.ack_hash, 'hex') as ack_hash
from sections s
join documents d on d.id = s.document_id
join org_units au on au.id = d.audience_unit_id
where d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[])
  and s.deleted_at is null and s.change_xid >= $3::xid8
order by s.document_id, s.position

-- name: offline_removed_sections
-- Sections deleted since a cursor.
select s.id from sections s where s.deleted_at is not null and s.change_xid >= $1::xid8

-- name: offline_removed_documents
-- Documents changed since a cursor that the caller may no longer keep (unpublished, or out of audience).
select d.id
from documents d join org_units au on au.id = d.audience_unit_id
where d.change_xid >= $3::xid8
  and not (d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[]))

-- name: insert_attachment
-- Record an uploaded file (its bytes are already in the blob store).
insert into attachments (document_id, sha256, media_type, size_bytes, file_name, created_by)
values ($1, $2, $3, $4, $5, $6)
returning id, document_id, encode(sha256, 'hex') as sha256, media_type, size_bytes, file_name, created_at

-- name: get_attachment
-- One attachment, with the raw digest for the blob store.
select id, document_id, encode(sha256, 'hex') as sha256, sha256 as digest, media_type, size_bytes, file_name,
       created_at
from attachments where id = $1

-- name: list_attachments
-- A document's attachments, oldest first.
select id, document_id, encode(sha256, 'hex') as sha256, media_type, size_bytes, file_name, created_at
from attachments where document_id = $1 order by created_at, id

-- name: acknowledgement_counts
-- Per branch within the given subtrees: active members, and how many acknowledged every required section.
with required as (
    select id, ack_hash from sections where document_id = $1 and requires_ack and deleted_at is null
), complete as (
    select a.account_id
    from acknowledgements a join required r on r.id = a.section_id and r.ack_hash = a.ack_hash
    group by a.account_id
    having count(*) = (select count(*) from required)
)
select b.id as branch_id, b.code as branch_code, b.name as branch_name, count(m.id) as members,
       count(c.account_id) as acknowledged
from org_units b
join members m on m.branch_id = b.id and m.status = 'active'
left join accounts ac on ac.member_id = m.id
left join complete c on c.account_id = ac.id
where b.path && $2::bigint[] and (select count(*) from required) > 0
group by b.id
order by b.code

-- name: acknowledgement_names
-- Within one branch: each active member and whether they acknowledged every required section.
with required as (
    select id, ack_hash from sections where document_id = $1 and requires_ack and deleted_at is null
)
select m.id as member_id, m.full_name,
       (select count(*) from acknowledgements a join required r on r.id = a.section_id and r.ack_hash = a.ack_hash
        where a.account_id = ac.id) = (select count(*) from required) as acknowledged
from members m left join accounts ac on ac.member_id = m.id
where m.branch_id = $2 and m.status = 'active'
order by m.full_name, m.card_number
