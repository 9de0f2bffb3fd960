import { describe, expect, it } from 'vitest';
import { ApiError, parseProblem } from './problem';

const PROBLEM = 'application/problem+json';

describe('parseProblem', () => {
  it('reads an RFC 9457 problem document', () => {
    const body = JSON.stringify({
      type: 'https://ehandbook.vn/problems/unauthenticated',
      title: 'Sign-in required',
      status: 401,
      detail: 'Tên đăng nhập hoặc mật khẩu không đúng.',
      instance: '/api/v1/auth/login',
    });
    const error = parseProblem(401, PROBLEM, body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(error.detail).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(error.message).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(error.problem).toEqual({
      type: 'https://ehandbook.vn/problems/unauthenticated',
      title: 'Sign-in required',
      status: 401,
      detail: 'Tên đăng nhập hoặc mật khẩu không đúng.',
      instance: '/api/v1/auth/login',
    });
  });

  it('keeps field errors and drops malformed entries', () => {
    const body = JSON.stringify({
      type: 'https://ehandbook.vn/problems/invalid-input',
      title: 'The request is not valid',
      status: 400,
      detail: 'Mật khẩu quá đơn giản',
      errors: [
        { field: 'password', message: 'Mật khẩu quá đơn giản' },
        { field: 'password', message: 'second message for the same field' },
        { field: 'code' },
        'not an object',
        null,
        { field: 42, message: 'field is not a string' },
      ],
    });
    const error = parseProblem(400, PROBLEM, body);
    expect(error.problem?.errors).toEqual([
      { field: 'password', message: 'Mật khẩu quá đơn giản' },
      { field: 'password', message: 'second message for the same field' },
    ]);
    expect(error.fieldErrors).toEqual({ password: 'Mật khẩu quá đơn giản' });
  });

  it('accepts plain application/json with parameters', () => {
    const error = parseProblem(409, 'application/json; charset=utf-8', '{"title":"Conflict","detail":"Đã tồn tại."}');
    expect(error.detail).toBe('Đã tồn tại.');
    expect(error.problem?.type).toBe('about:blank');
    expect(error.problem?.status).toBe(409);
  });

  it('fills what a partial problem leaves out', () => {
    const error = parseProblem(403, PROBLEM, '{"status":"403","detail":""}');
    expect(error.problem).toEqual({ type: 'about:blank', title: '', status: 403 });
    expect(error.detail).toBeNull();
    expect(error.fieldErrors).toEqual({});
    expect(error.message).toBe('HTTP 403');
  });

  it.each([
    ['an HTML page from a proxy', 'text/html', '<html><body>502 Bad Gateway</body></html>'],
    ['no content type', null, '{"detail":"x"}'],
    ['broken JSON', PROBLEM, '{"detail": "cut off'],
    ['an empty body', PROBLEM, ''],
    ['a JSON array', PROBLEM, '[{"detail":"x"}]'],
    ['a JSON string', PROBLEM, '"detail"'],
    ['JSON null', PROBLEM, 'null'],
  ])('gives an ApiError without a problem for %s', (_, contentType, body) => {
    const error = parseProblem(502, contentType, body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.problem).toBeNull();
    expect(error.detail).toBeNull();
    expect(error.message).toBe('HTTP 502');
  });
});
