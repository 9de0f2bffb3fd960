/**
 * "Tôi đã đọc": acknowledging a section, online or not. The write goes through the outbox (with the
 * ack_hash of the version on screen, so a late replay never counts for a newer text); the phone also
 * remembers the acknowledgement at once, so the reader shows it offline.
 */
import { signal } from '@preact/signals';
import { api } from '../../shared/api';
import type { SectionSummary } from '../../shared/handbook-types';
import { onWriteSettled, outboxState, queueWrite } from '../outbox';
import { appDb, type AckRecord } from '../storage';

export const ACK_KIND = 'acknowledge';

/** Moves whenever an acknowledgement is recorded or withdrawn, so open screens read them again. */
export const ackVersion = signal(0);

export type AckState = 'none' | 'pending' | 'done';

/** Where a section's acknowledgement stands for the version with `ackHash`. */
export function ackState(record: AckRecord | undefined, sectionId: string, ackHash: string): AckState {
  const waiting = outboxState.value.pending.some(
    (write) => write.kind === ACK_KIND && write.ref === sectionId && (write.body as { ack_hash?: unknown }).ack_hash === ackHash,
  );
  if (waiting) return 'pending';
  return record?.ackHash === ackHash ? 'done' : 'none';
}

export async function readAck(sectionId: string): Promise<AckRecord | undefined> {
  try {
    return await (await appDb()).get('acks', sectionId);
  } catch {
    return undefined;
  }
}

export async function acknowledge(section: { readonly id: string; readonly ack_hash: string; readonly title: string }): Promise<void> {
  // Queued first: if the app dies between the two, the outbox still sends it and the reader shows it pending.
  await queueWrite('post', '/api/v1/sections/{section_id}/acknowledge', {
    path: { section_id: section.id },
    body: { ack_hash: section.ack_hash },
    kind: ACK_KIND,
    ref: section.id,
    label: section.title,
  });
  await (await appDb()).put('acks', { sectionId: section.id, ackHash: section.ack_hash, at: Date.now() });
  ackVersion.value += 1;
}

/** What the server says this member acknowledged (GetDocument), kept for reading offline. */
export async function rememberServerAcks(sections: readonly SectionSummary[]): Promise<void> {
  const acknowledged = sections.filter((section) => section.acknowledged);
  if (acknowledged.length === 0) return;
  const tx = (await appDb()).transaction('acks', 'readwrite');
  for (const section of acknowledged) {
    const stored = await tx.store.get(section.id);
    if (stored?.ackHash !== section.ack_hash) await tx.store.put({ sectionId: section.id, ackHash: section.ack_hash, at: Date.now() });
  }
  await tx.done;
  ackVersion.value += 1;
}

/** Ask the server which sections of a document this member acknowledged (from another phone, too). */
export async function refreshAcks(documentId: string): Promise<void> {
  try {
    await rememberServerAcks((await api.getDocument(documentId)).sections ?? []);
  } catch {
    // Offline or gone: what the phone remembers stays.
  }
}

// Refused (the text changed since, 409): the acknowledgement did not count, so stop showing it.
onWriteSettled(({ write, outcome }) => {
  if (write.kind !== ACK_KIND) return;
  if (outcome === 'refused') {
    const hash = (write.body as { ack_hash?: unknown }).ack_hash;
    void (async () => {
      const db = await appDb();
      const stored = await db.get('acks', write.ref);
      if (stored?.ackHash === hash) await db.delete('acks', write.ref);
      ackVersion.value += 1;
    })().catch(() => undefined);
  } else {
    ackVersion.value += 1;
  }
});
