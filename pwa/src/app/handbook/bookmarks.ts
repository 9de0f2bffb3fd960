/** Bookmarked sections, kept on this phone only (IndexedDB; cleared on sign-out with the rest). */
import { signal } from '@preact/signals';
import { appDb, onLocalDataCleared, type Bookmark } from '../storage';

/** Moves whenever a bookmark is added or removed. */
export const bookmarkVersion = signal(0);

export async function listBookmarks(): Promise<Bookmark[]> {
  const all = await (await appDb()).getAllFromIndex('bookmarks', 'byCreated');
  return all.reverse(); // newest first
}

export async function isBookmarked(sectionId: string): Promise<boolean> {
  try {
    return (await (await appDb()).get('bookmarks', sectionId)) !== undefined;
  } catch {
    return false;
  }
}

export async function addBookmark(bookmark: Omit<Bookmark, 'createdAt'>): Promise<void> {
  await (await appDb()).put('bookmarks', { ...bookmark, createdAt: Date.now() });
  bookmarkVersion.value += 1;
}

export async function removeBookmark(sectionId: string): Promise<void> {
  await (await appDb()).delete('bookmarks', sectionId);
  bookmarkVersion.value += 1;
}

onLocalDataCleared(() => {
  bookmarkVersion.value += 1;
});
