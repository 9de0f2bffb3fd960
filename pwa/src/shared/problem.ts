/**
 * RFC 9457 problem details, as the API sends them for every 4xx and 5xx.
 * The OpenAPI document does not describe this body yet, so its shape is checked here at run time.
 */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly FieldProblem[];
}

/** The server answered, but not with success. `problem` is null when the body was not a problem document. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
  }

  /** The occurrence-specific explanation meant for the person, if the server gave one. */
  get detail(): string | null {
    return this.problem?.detail ?? null;
  }

  /** Field name -> message, for showing next to the input. */
  get fieldErrors(): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const { field, message } of this.problem?.errors ?? []) out[field] ??= message;
    return out;
  }
}

/** The request never got an answer: no signal, or the server took too long. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(readonly reason: 'offline' | 'timeout') {
    super(reason === 'timeout' ? 'The server did not answer in time' : 'The server could not be reached');
  }
}

const JSON_TYPES = /^application\/(problem\+)?json\b/i;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fieldProblems(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FieldProblem[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const field = text((item as { field?: unknown }).field);
    const message = text((item as { message?: unknown }).message);
    if (field !== undefined && message !== undefined) out.push({ field, message });
  }
  return out;
}

/** Turn an error response (status, Content-Type, body text) into an ApiError; never throws. */
export function parseProblem(status: number, contentType: string | null, body: string): ApiError {
  if (!contentType || !JSON_TYPES.test(contentType)) return new ApiError(status, null);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return new ApiError(status, null);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return new ApiError(status, null);
  const raw = data as Record<string, unknown>;
  const detail = text(raw['detail']);
  const instance = text(raw['instance']);
  const errors = fieldProblems(raw['errors']);
  const problem: Problem = {
    type: text(raw['type']) ?? 'about:blank',
    title: text(raw['title']) ?? '',
    status: typeof raw['status'] === 'number' ? raw['status'] : status,
    ...(detail !== undefined && { detail }),
    ...(instance !== undefined && { instance }),
    ...(errors !== undefined && { errors }),
  };
  return new ApiError(status, problem);
}
