import { useEffect, useState } from 'preact/hooks';
import { addBookmark, bookmarkVersion, isBookmarked, removeBookmark } from '../handbook/bookmarks';
import { t } from '../i18n';
import { canReadAloud, readAloud, reading, stopReading } from '../speech';
import { setTextSize, textSize, TEXT_SIZE_STEPS } from '../text-size';
import { useLoad } from './useLoad';

interface ReaderToolsProps {
  readonly sectionId: string;
  readonly documentId: string;
  readonly title: string;
  readonly documentTitle: string;
  /** The text to read aloud, taken from the page when the button is pressed. */
  readonly text: () => string;
}

/** Text size, bookmark, read aloud: large buttons in one row that wraps on narrow or enlarged screens. */
export function ReaderTools({ sectionId, documentId, title, documentTitle, text }: ReaderToolsProps) {
  const size = textSize.value;
  const saved = useLoad(() => isBookmarked(sectionId), [sectionId, bookmarkVersion.value]).data ?? false;
  const [busy, setBusy] = useState(false);
  // Leaving the section (or the screen) stops the reading.
  useEffect(() => stopReading, [sectionId]);

  function toggleBookmark(): void {
    setBusy(true);
    const done = saved ? removeBookmark(sectionId) : addBookmark({ sectionId, documentId, title, documentTitle });
    void done.catch(() => undefined).finally(() => setBusy(false));
  }

  return (
    <div class="tools" role="group" aria-label={t('reader.tools')}>
      <div class="tools-size">
        <button
          type="button"
          class="button button-small button-quiet"
          aria-label={t('reader.smaller')}
          disabled={size <= 0}
          onClick={() => setTextSize(size - 1)}
        >
          A−
        </button>
        <span class="tools-size-now" aria-live="polite">
          {t('reader.size', { size: size + 1, max: TEXT_SIZE_STEPS })}
        </span>
        <button
          type="button"
          class="button button-small button-quiet"
          aria-label={t('reader.larger')}
          disabled={size >= TEXT_SIZE_STEPS - 1}
          onClick={() => setTextSize(size + 1)}
        >
          A+
        </button>
      </div>
      <button type="button" class="button button-small button-quiet" aria-pressed={saved} disabled={busy} onClick={toggleBookmark}>
        {saved ? t('reader.bookmarked') : t('reader.bookmark')}
      </button>
      {canReadAloud.value && (
        <button
          type="button"
          class="button button-small button-quiet"
          aria-pressed={reading.value}
          onClick={() => (reading.value ? stopReading() : readAloud(text()))}
        >
          {reading.value ? t('reader.stopReading') : t('reader.readAloud')}
        </button>
      )}
    </div>
  );
}
