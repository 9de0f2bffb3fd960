import { applyUpdate, updateWaiting } from '../sw-update';
import { t } from '../i18n';

/** "Có phiên bản mới — Tải lại": the live region stays in the page so its appearance is announced. */
export function UpdateBanner() {
  return (
    <div class="update" role="status">
      {updateWaiting.value && (
        <>
          <span>{t('update.available')}</span>
          <button type="button" class="button button-small" onClick={applyUpdate}>
            {t('update.reload')}
          </button>
        </>
      )}
    </div>
  );
}
