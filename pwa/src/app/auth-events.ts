/**
 * The API refused a request made in the background (outbox replay, sync) with 401: the session has
 * ended. Those modules cannot import session.ts (it imports them), so they bump this and main.tsx
 * checks the session, which signs the phone out properly.
 */
import { signal } from '@preact/signals';

export const sessionRejected = signal(0);

export function reportSessionRejected(): void {
  sessionRejected.value += 1;
}
