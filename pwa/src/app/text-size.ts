/**
 * The reader's text size, on top of the phone's own setting. Kept in localStorage: it is a display
 * preference of whoever holds the phone, not personal data, so it survives sign-out like the phone's
 * own font size does, and it is there synchronously when the reader first paints.
 */
import { signal } from '@preact/signals';

/** Steps of the reader's size; CSS classes .reader-size-0 ... .reader-size-6 (app.css). */
export const TEXT_SIZE_STEPS = 7;
export const DEFAULT_TEXT_SIZE = 2;
const KEY = 'ehb.textSize';

function clamp(value: number): number {
  return Math.min(TEXT_SIZE_STEPS - 1, Math.max(0, Math.round(value)));
}

function read(): number {
  try {
    const stored = Number(globalThis.localStorage?.getItem(KEY) ?? NaN);
    return Number.isFinite(stored) ? clamp(stored) : DEFAULT_TEXT_SIZE;
  } catch {
    return DEFAULT_TEXT_SIZE; // storage blocked: the default, every time
  }
}

export const textSize = signal(read());

export function setTextSize(value: number): void {
  textSize.value = clamp(value);
  try {
    globalThis.localStorage?.setItem(KEY, String(textSize.value));
  } catch {
    // Not kept; still applied for this visit.
  }
}
