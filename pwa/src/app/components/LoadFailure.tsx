import { ApiError, NetworkError } from '../../shared/problem';
import { describeError } from '../errors';
import { t } from '../i18n';

/** Why a screen's content could not be shown: not found, not on the phone yet, or what went wrong. */
export function LoadFailure({ error, onRetry }: { readonly error: unknown; readonly onRetry?: () => void }) {
  const message =
    error instanceof ApiError && error.status === 404
      ? t('content.notFound')
      : error instanceof NetworkError
        ? t('content.notKept')
        : describeError(error);
  return (
    <div class="notice" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="button button-secondary" onClick={onRetry}>
          {t('content.retry')}
        </button>
      )}
    </div>
  );
}
