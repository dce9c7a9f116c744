/** react-admin simple-rest list parameters: filter, sort and range as JSON in the query. */
import type { Context } from 'koa';
import { z } from 'zod';
import { badRequest } from '../domain/errors';
import type { ListPage } from '../repositories/list-page';
import { rejectNul } from './input-checks';

// the field is looked up in the list's allow-list of columns (repositories), unknown ones sort by the default
const sortSchema = z.tuple([z.string().regex(/^[A-Za-z][A-Za-z0-9_.]{0,49}$/, 'ein Feldname'), z.enum(['ASC', 'DESC'])]);
/** Offsets beyond this are refused: the databases' limits are 64-bit, JSON numbers are not (2^63 would overflow). */
const MAX_OFFSET = 2 ** 31 - 1;
const rangeSchema = z
  .tuple([z.number().int().min(0).max(MAX_OFFSET), z.number().int().min(0).max(MAX_OFFSET)])
  .refine(([from, to]) => to >= from && to - from < 1000, 'range: höchstens 1000 Einträge');

export function listParams<F extends z.ZodTypeAny>(ctx: Context, filterSchema: F, defaultSort: [string, 'ASC' | 'DESC']) {
  const read = <T extends z.ZodTypeAny>(name: string, schema: T, fallback: z.infer<T>): z.infer<T> => {
    const raw = ctx.query[name];
    if (raw === undefined) return fallback;
    let value: unknown;
    try {
      value = JSON.parse(String(raw));
    } catch {
      throw badRequest(`Parameter ${name}: ungültiges JSON`, [{ path: name, message: 'ungültiges JSON' }]);
    }
    rejectNul(value, name);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw badRequest(
        `Parameter ${name} ist ungültig`,
        parsed.error.issues.map((i) => ({ path: [name, ...i.path].join('.'), message: i.message })),
      );
    }
    return parsed.data;
  };
  const filter = read('filter', filterSchema, {} as z.infer<F>) as z.infer<F>;
  const [field, order] = read('sort', sortSchema, defaultSort);
  const range = read('range', rangeSchema, [0, 24] as [number, number]);
  return { filter, sort: { field, order }, range: range as [number, number] };
}

/**
 * `Content-Range: tasks 0-24/318` (react-admin simple-rest). Lists count only up to a cap
 * (repositories/list-page.ts): then `X-Total-Capped: true` says the total is a lower bound,
 * "more than total − 1" (e.g. `tasks 0-24/10001`); the next page is always known to exist.
 */
export function setContentRange(ctx: Context, resource: string, range: [number, number], { rows, total, totalCapped }: ListPage<unknown>): void {
  const end = rows.length === 0 ? range[0] : range[0] + rows.length - 1;
  ctx.set('Content-Range', `${resource} ${range[0]}-${end}/${total}`);
  ctx.set(TOTAL_CAPPED_HEADER, String(totalCapped));
  ctx.set('Access-Control-Expose-Headers', `Content-Range, ${TOTAL_CAPPED_HEADER}`);
}

const TOTAL_CAPPED_HEADER = 'X-Total-Capped';
