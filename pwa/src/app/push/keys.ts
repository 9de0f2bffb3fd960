/** The VAPID public key as pushManager.subscribe wants it: base64url text to bytes. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** An uncompressed P-256 point (65 bytes, starting with 4): what a VAPID public key must be. */
export function isVapidKey(bytes: Uint8Array): boolean {
  return bytes.length === 65 && bytes[0] === 4;
}
