/**
 * The arena's HTTP API from the browser. Bodies are checked with the zod schemas the server
 * itself validates and documents with (protocol/http-api.ts), so a shape drift fails loudly here
 * instead of drawing nonsense.
 */
import type { z } from 'zod';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string;

  constructor(status: number, code: string, message: string, hint: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; hint?: string } };
    if (body.error?.code) return new ApiError(response.status, body.error.code, body.error.message ?? response.statusText, body.error.hint ?? '');
  } catch {
    /* not our JSON error body */
  }
  return new ApiError(response.status, 'http', `${response.status} ${response.statusText}`, '');
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly body?: unknown;
  /** Bearer token (admin routes). */
  readonly token?: string;
  readonly signal?: AbortSignal;
}

export async function request<T>(url: string, schema: z.ZodType<T> | undefined, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!response.ok) throw await errorOf(response);
  const json: unknown = await response.json();
  if (schema === undefined) return json as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ApiError(
      response.status,
      'bad-response',
      `unexpected answer from ${url.split('?')[0]}: ${parsed.error.issues[0]?.message ?? ''}`,
      'the viewer and the server may be of different versions',
    );
  return parsed.data;
}

export const getJson = <T>(url: string, schema?: z.ZodType<T>, signal?: AbortSignal): Promise<T> =>
  request(url, schema, signal === undefined ? {} : { signal });

export const q = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};
