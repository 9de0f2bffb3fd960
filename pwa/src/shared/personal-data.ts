/**
 * Naming rule for Cache Storage: any cache that may hold a member's personal data starts with this
 * prefix, so sign-out can drop all of them without knowing each one. The app shell precache
 * (workbox-precache-*) holds only the public build and survives sign-out.
 * Used by both the page and the service worker: no DOM- or worker-only types here.
 */
export const PERSONAL_CACHE_PREFIX = 'ehb-personal-';

export function isPersonalCache(name: string): boolean {
  return name.startsWith(PERSONAL_CACHE_PREFIX);
}

/** Delete every personal cache; returns the names deleted. */
export async function clearPersonalCaches(storage: Pick<CacheStorage, 'keys' | 'delete'>): Promise<string[]> {
  const personal = (await storage.keys()).filter(isPersonalCache);
  await Promise.all(personal.map((name) => storage.delete(name)));
  return personal;
}
