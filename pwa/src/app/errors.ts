import { ApiError, NetworkError } from '../shared/problem';
import { t } from './i18n';

/** The sentence to show a member for a failed request. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return t(error.reason === 'timeout' ? 'error.timeout' : 'error.offline');
  if (error instanceof ApiError) {
    // The API writes `detail` for people; a 500's detail is only a generic English line, so say it ourselves.
    if (error.detail && error.status !== 500) return error.detail;
    if (error.status === 401) return t('error.unauthenticated');
    if (error.status === 429) return t('error.tooMany');
    if (error.status >= 500) return t('error.server');
  }
  return t('error.generic');
}
