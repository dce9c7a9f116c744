/** Swiss formats in both languages (dd.MM.yyyy, 24-hour time, CHF 1'234.50: model/web-format.ts) and the portal's own helpers. */
export { formatChf, formatDate, formatDateTime } from '../../../model/web-format';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "12.4.1985" or "12.04.1985" → "1985-04-12"; undefined when it is no real date. */
export function parseSwissDate(text: string): string | undefined {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d.toISOString().slice(0, 10);
}
