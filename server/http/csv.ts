/** CSV for spreadsheets in Switzerland: semicolons, always quoted, a BOM, Zurich times. */
import type { Context } from 'koa';

export function csvCell(value: string): string {
  // quote always; neutralise spreadsheet formulas in user-provided text
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function swissDateTime(iso: string | null): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat('de-CH', { timeZone: 'Europe/Zurich', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** Sends `rows` (the first one the header) as a CSV download. */
export function sendCsv(ctx: Context, fileName: string, rows: string[][]): void {
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="${fileName}"`);
  ctx.body = `\uFEFF${rows.map((cells) => cells.map(csvCell).join(';')).join('\r\n')}\r\n`;
}
