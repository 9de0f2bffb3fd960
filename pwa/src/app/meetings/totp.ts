/**
 * The rotating check-in code, computed on the secretary's phone from the meeting's secret (as
 * api/meetings/codes.py does): HMAC-SHA256 of the 30-second step, truncated to six digits. With the
 * secret kept from one GetCheckInCode answer, the phone goes on showing valid codes without signal.
 */

/** RFC 4648 base32 (unpadded, as the API exports it) to bytes; null if it is not base32. */
export function base32Decode(text: string): Uint8Array | null {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.replace(/=+$/, '').toUpperCase();
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = alphabet.indexOf(char);
    if (value < 0) return null;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

export function stepOf(ms: number, stepSeconds: number): number {
  return Math.floor(ms / 1000 / stepSeconds);
}

/** The code shown during `step` (RFC 6238 dynamic truncation of an HMAC-SHA256). */
export async function codeAt(secret: Uint8Array, step: number, digits = 6): Promise<string> {
  const key = await crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const counter = new DataView(new ArrayBuffer(8));
  counter.setUint32(0, Math.floor(step / 2 ** 32));
  counter.setUint32(4, step >>> 0);
  const digest = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter.buffer));
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const value = new DataView(digest.buffer).getUint32(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}

/** What the check-in QR encodes; the member's scanner notes the time itself. */
export function qrPayload(meetingId: string, code: string): string {
  return `ehb-checkin:1:${meetingId}:${code}`;
}
