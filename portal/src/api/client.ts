/**
 * The fetch wrapper: JSON in and out, problem+json errors as ApiError (with field paths), the
 * session cookie sent same-origin only, and the CSRF header (from the readable `lu_csrf` cookie)
 * on every change. Uploads go through XMLHttpRequest because only it reports upload progress.
 */
import type { FieldError } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail || title);
  }
}

export function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)lu_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

interface RequestOptions {
  method?: string;
  json?: unknown;
  body?: FormData;
  /** the anonymous access token of a submission */
  token?: string;
  signal?: AbortSignal;
}

function headersFor(method: string, token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const csrf = csrfToken();
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['x-csrf-token'] = csrf;
  return headers;
}

async function toError(res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => ({}));
  return problemError(res.status, body);
}

function problemError(status: number, body: unknown): ApiError {
  const p = (body ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
  return new ApiError(status, p.title ?? `HTTP ${status}`, p.detail ?? '', Array.isArray(p.errors) ? p.errors : []);
}

export async function request(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? (opts.json !== undefined || opts.body ? 'POST' : 'GET');
  const headers = headersFor(method, opts.token);
  let body: BodyInit | undefined = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  if (!res.ok) throw await toError(res);
  return res;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await request(path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A list page with the total from `Content-Range: <name> 0-9/42`. */
export async function apiPage<T>(path: string, signal?: AbortSignal): Promise<{ items: T[]; total: number }> {
  const res = await request(path, { signal });
  const items = (await res.json()) as T[];
  const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? items.length);
  return { items, total };
}

/** A multipart POST with upload progress (0..1). */
export function upload<T>(path: string, form: FormData, opts: { token?: string; onProgress?: (fraction: number) => void } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = false; // same-origin requests carry the cookie anyway
    for (const [name, value] of Object.entries(headersFor('POST', opts.token))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        /* not JSON: handled by the status below */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(problemError(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'Network error', ''));
    xhr.send(form);
  });
}

/** Saves a document fetched with the session or the bearer token (the electronic mailbox). */
export async function download(url: string, name: string, token?: string): Promise<void> {
  const res = await request(new URL(url, location.origin).pathname, { token });
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
