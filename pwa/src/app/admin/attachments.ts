/**
 * Files for a section: UploadAttachment stores a PDF or image with the section's document, and a
 * Markdown link in the section's text is what shows it to members (the reader renders the link; the
 * file is served to those who may read the document).
 */
import type { Schemas } from '../../shared/api';
import type { MessageKey } from '../i18n';

export type Attachment = Schemas['Attachment'];

/** What api/uploads.py accepts: the bytes are checked there against the declared type. */
export const ACCEPTED_TYPES: readonly string[] = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'];
/** EHB_ATTACHMENT_MAX_BYTES's default; a server set lower still answers 413, shown as its detail. */
export const MAX_BYTES = 20 * 1_048_576;

/** Why this file cannot be sent, or null. */
export function uploadProblem(file: { readonly type: string; readonly size: number }): MessageKey | null {
  if (!ACCEPTED_TYPES.includes(file.type)) return 'attach.badType';
  if (file.size === 0) return 'attach.empty';
  if (file.size > MAX_BYTES) return 'attach.tooBig';
  return null;
}

/** The name sent with the file: as chosen, at most 200 characters, never empty. */
export function attachmentName(name: string): string {
  return (name.trim() || 'tep-dinh-kem').slice(0, 200);
}

export function attachmentUrl(id: string): string {
  return `/api/v1/attachments/${encodeURIComponent(id)}`;
}

/** A Markdown link to the file; brackets and backslashes in its name cannot break the link. */
export function attachmentLink(attachment: Pick<Attachment, 'id' | 'file_name'>): string {
  const label = attachment.file_name.replace(/[\\[\]]/g, (mark) => `\\${mark}`).replace(/\s+/g, ' ').trim() || 'Tệp đính kèm';
  return `[${label}](${attachmentUrl(attachment.id)})`;
}

/** The section's text with the link as a paragraph of its own at the end. */
export function withLink(body: string, link: string): string {
  const text = body.replace(/\s+$/, '');
  return text ? `${text}\n\n${link}\n` : `${link}\n`;
}

/** Whether the text already links to this file. */
export function linksTo(body: string, attachment: Pick<Attachment, 'id'>): boolean {
  return body.includes(`](${attachmentUrl(attachment.id)})`);
}

/** A size as people read it: "850 KB", "2,4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1_048_576) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1_048_576).toFixed(1).replace('.', ',')} MB`;
}
