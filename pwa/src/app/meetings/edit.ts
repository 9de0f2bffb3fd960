/**
 * The secretary's change to a scheduled meeting, as UpdateMeeting wants it: only the fields that
 * really changed (the server tells the members when the time or the place moves, so a form sent
 * unchanged must not look like a move), checked here first so the secretary reads why in Vietnamese.
 */
import type { Schemas } from '../../shared/api';
import type { MessageKey } from '../i18n';
import { localToIso } from '../life/dates';

type Meeting = Schemas['Meeting'];
export type MeetingUpdate = Schemas['MeetingUpdate'];

/** What the edit form shows and sends back: strings as typed, the chosen material ids in order. */
export interface MeetingFields {
  readonly title: string;
  readonly date: string;
  readonly time: string;
  readonly duration: string;
  readonly place: string;
  readonly agenda: string;
  readonly materials: readonly string[];
}

export type FieldErrors = Readonly<Partial<Record<keyof MeetingFields | 'form', MessageKey>>>;

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

const LOCAL_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh, no summer time (as life/dates.ts)

/** `YYYY-MM-DD` and `HH:MM` of an instant on the branch's clock. */
export function localParts(iso: string): { readonly date: string; readonly time: string } {
  const local = new Date(Date.parse(iso) + LOCAL_OFFSET_MS).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
}

/** The form's first values: the meeting as it is now. */
export function fieldsOf(meeting: Meeting): MeetingFields {
  const { date, time } = localParts(meeting.starts_at);
  return {
    title: meeting.title,
    date,
    time,
    duration: String(Math.round((Date.parse(meeting.ends_at) - Date.parse(meeting.starts_at)) / 60_000)),
    place: meeting.place,
    agenda: meeting.agenda_md,
    materials: meeting.materials.map((material) => material.document_id),
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item, index) => item === b[index]);

/**
 * The UpdateMeeting body for what changed between `meeting` and `fields`, or the errors to show.
 * Text is trimmed (the agenda keeps its inner line breaks); an unchanged form is an error of its own.
 */
export function meetingUpdate(meeting: Meeting, fields: MeetingFields): Checked<MeetingUpdate> {
  const errors: Partial<Record<keyof MeetingFields | 'form', MessageKey>> = {};
  const title = fields.title.trim();
  const place = fields.place.trim();
  const agenda = fields.agenda.trim();
  const startsAt = localToIso(fields.date.trim(), fields.time.trim());
  const duration = Number(fields.duration);
  if (!title) errors.title = 'edit.needTitle';
  else if (title.length > 300) errors.title = 'edit.tooLong';
  if (!startsAt) errors.date = 'edit.needDateTime';
  if (!Number.isInteger(duration) || duration < 15 || duration > 720) errors.duration = 'edit.badDuration';
  if (place.length > 300) errors.place = 'edit.tooLong';
  if (agenda.length > 20_000) errors.agenda = 'edit.tooLong';
  if (new Set(fields.materials).size !== fields.materials.length || fields.materials.length > 20) errors.materials = 'edit.badMaterials';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const before = fieldsOf(meeting);
  const update: MeetingUpdate = {};
  if (title !== meeting.title) update.title = title;
  // Compared as instants: "19:30+07:00" typed is the same moment as the stored "12:30Z".
  if (startsAt && Date.parse(startsAt) !== Date.parse(meeting.starts_at)) update.starts_at = startsAt;
  if (duration !== Number(before.duration)) update.duration_minutes = duration;
  if (place !== meeting.place.trim()) update.place = place;
  if (agenda !== meeting.agenda_md.trim()) update.agenda_md = agenda;
  if (!sameList(fields.materials, before.materials)) update.materials = [...fields.materials];
  if (Object.keys(update).length === 0) return { ok: false, errors: { form: 'edit.nothingChanged' } };
  return { ok: true, value: update };
}

/** Whether the change moves the meeting (time or place): members are told, so the secretary is warned. */
export function movesMeeting(update: MeetingUpdate): boolean {
  return update.starts_at !== undefined || update.duration_minutes !== undefined || update.place !== undefined;
}

/** CancelMeeting's body: a reason is required here (members see it), at most 1000 characters. */
export function cancelRequest(reason: string): Checked<Schemas['CancelRequest']> {
  const text = reason.trim();
  if (!text) return { ok: false, errors: { form: 'edit.needReason' } };
  if (text.length > 1000) return { ok: false, errors: { form: 'edit.tooLong' } };
  return { ok: true, value: { reason: text } };
}
