import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, parseProblem } from '../shared/problem';
import { describeError } from './errors';
import { t } from './i18n';

const problem = (status: number, detail?: string) =>
  parseProblem(status, 'application/problem+json', JSON.stringify({ type: 'x', title: 'y', status, detail }));

describe('describeError', () => {
  it("shows the API's detail", () => {
    expect(describeError(problem(401, 'Tên đăng nhập hoặc mật khẩu không đúng.'))).toBe(
      'Tên đăng nhập hoặc mật khẩu không đúng.',
    );
    expect(describeError(problem(503, 'Hệ thống đang bận, vui lòng thử lại sau ít phút.'))).toBe(
      'Hệ thống đang bận, vui lòng thử lại sau ít phút.',
    );
  });

  it('says it in Vietnamese when there is no detail to show', () => {
    expect(describeError(new ApiError(401, null))).toBe(t('error.unauthenticated'));
    expect(describeError(new ApiError(429, null))).toBe(t('error.tooMany'));
    expect(describeError(new ApiError(502, null))).toBe(t('error.server'));
    expect(describeError(problem(500, 'An unexpected error occurred.'))).toBe(t('error.server'));
    expect(describeError(new ApiError(418, null))).toBe(t('error.generic'));
  });

  it('tells no signal from a slow server', () => {
    expect(describeError(new NetworkError('offline'))).toBe(t('error.offline'));
    expect(describeError(new NetworkError('timeout'))).toBe(t('error.timeout'));
  });

  it('never shows a programming error to the member', () => {
    expect(describeError(new TypeError('x is undefined'))).toBe(t('error.generic'));
    expect(describeError('boom')).toBe(t('error.generic'));
  });
});
