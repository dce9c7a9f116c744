/** Reading start-form fields of `data` (already validated against the start form at intake). */
export function text(data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function requiredText(data: Record<string, unknown>, key: string): string {
  const v = text(data, key);
  if (v === undefined) throw new Error(`start form field "${key}" missing`);
  return v;
}

export function flag(data: Record<string, unknown>, key: string): boolean {
  return data[key] === true;
}

export function integer(data: Record<string, unknown>, key: string): number | undefined {
  const v = data[key];
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}
