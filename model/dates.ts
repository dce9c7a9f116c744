/** Calendar-date helpers in Europe/Zurich (ISO strings "YYYY-MM-DD" compare as text). */

const zurichIso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar date in Zurich. */
export function todayIso(now: Date): string {
  return zurichIso.format(now);
}

/** ISO date plus days (may be negative). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
