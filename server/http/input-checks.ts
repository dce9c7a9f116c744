/** Checks every request input gets before its schema sees it. */
import { badRequest } from '../domain/errors';

/** Deeper nesting than any form needs; refused before anything walks the value recursively. */
const MAX_DEPTH = 64;

/**
 * Refuses NUL characters anywhere in a request's text (keys included): PostgreSQL cannot store
 * them in text or jsonb and would fail the query, SQLite would keep a value that cuts C strings
 * short; no field needs one. Also refuses values nested deeper than MAX_DEPTH. Walks with its own
 * stack, so a hostile nesting cannot overflow the call stack here.
 */
export function rejectNul(value: unknown, where: string): void {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [where] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const fail = (message: string, path = item.path) => badRequest(message, [{ path: path.join('.'), message }]);
    if (typeof item.value === 'string' && item.value.includes('\u0000')) throw fail('NUL-Zeichen sind nicht erlaubt');
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.path.length > MAX_DEPTH) throw fail(`höchstens ${MAX_DEPTH} Ebenen verschachtelt`);
    for (const [key, inner] of Object.entries(item.value)) {
      if (key.includes('\u0000')) throw fail('NUL-Zeichen sind nicht erlaubt', [...item.path, key.replaceAll('\u0000', '\\u0000')]);
      stack.push({ value: inner, path: [...item.path, key] });
    }
  }
}
