/**
 * Working days of the canton of Lucerne: Monday to Friday except the public holidays. Due dates,
 * escalations and the deadlines shown to staff count these days, not calendar days (issue 16,
 * DESIGN.md §9). Pure code, shared by the server and the workers.
 *
 * Holidays: `date-holidays`, region CH-LU, its public and optional days (Karfreitag, Auffahrt,
 * ... and Berchtoldstag, Ostermontag, Pfingstmontag), not its observances (Josefstag,
 * Gründonnerstag, Muttertag). Checked against the sources (test/unit/model/working-days.test.ts
 * asserts the same thirteen days):
 * - Ruhetags- und Ladenschlussgesetz (RLG, SRL 855) § 1a Abs. 1 lit. b, "öffentliche Ruhetage":
 *   Neujahr, Karfreitag, Auffahrt, Fronleichnam, Bundesfeiertag (1. August), Mariä Himmelfahrt,
 *   Allerheiligen, Mariä Empfängnis (8. Dezember), Weihnachten, ... (read in the consolidated
 *   text of 1 May 2020, https://lex.weblaw.ch/lex.php?lex_id=60034&norm_id=855&source=LU and a
 *   mirror of it; the excerpt available to us breaks off after "Weihnachten").
 * - Berchtoldstag (2.1.), Ostermontag, Pfingstmontag and Stephanstag (26.12.) are days off of the
 *   cantonal and municipal administrations in Lucerne; the brief's list, date-holidays and the
 *   Lucerne holiday calendars name them, but we could NOT read them in the RLG excerpt:
 *   unverified against the statute (see README, "Status and known gaps").
 * - Not included: municipal holidays (Josefstag and patronal feasts that a municipality declares a
 *   public rest day under RLG § 1a Abs. 2, e.g. St. Leodegar on 2 October in Stadt Luzern).
 *
 * Dates are ISO calendar dates ("YYYY-MM-DD") in Europe/Zurich.
 */
import Holidays from 'date-holidays';
import { addDays, todayIso } from './dates.js';

const calendar = new Holidays('CH', 'LU', { types: ['public', 'optional'] });
const holidayCache = new Map<number, Map<string, string>>();

/** The Lucerne public holidays of a year, date → name. */
export function lucerneHolidays(year: number): Map<string, string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const holidays = new Map<string, string>();
  // with the Sunday feasts (Ostersonntag, Pfingstsonntag, Bettag): Sundays are no working days anyway
  for (const h of calendar.getHolidays(year)) if (h.type === 'public' || h.type === 'optional') holidays.set(h.date.slice(0, 10), h.name);
  holidayCache.set(year, holidays);
  return holidays;
}

function weekday(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}

export function isWorkingDay(isoDate: string): boolean {
  const day = weekday(isoDate);
  return day !== 0 && day !== 6 && !lucerneHolidays(Number(isoDate.slice(0, 4))).has(isoDate);
}

/** The `n`-th working day after `isoDate` (n = 0: the day itself if it is one, else the next). */
export function addWorkingDays(isoDate: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  let date = isoDate;
  while (!isWorkingDay(date)) date = addDays(date, 1);
  for (let left = n; left > 0;) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) left--;
  }
  return date;
}

/** Working days after `fromIso` up to and including `toIso` (0 when `toIso` is not later). */
export function workingDaysBetween(fromIso: string, toIso: string): number {
  let count = 0;
  for (let date = addDays(fromIso, 1); date <= toIso; date = addDays(date, 1)) if (isWorkingDay(date)) count++;
  return count;
}

/**
 * A legal deadline of `days` calendar days from an event (e.g. the 14 days to report a move):
 * counted from the day after the event; when its last day is a Saturday, Sunday or public holiday
 * it ends on the next working day. Source of the rule: the general Swiss rule as worded in ZPO
 * Art. 142 Abs. 1 and 3 (SR 272) and BGG Art. 44/45; the corresponding paragraph of the Lucerne
 * VRG (SRL 40) could NOT be read here and is unverified.
 */
export function deadlineAfter(eventIso: string, days: number): string {
  return addWorkingDays(addDays(eventIso, days), 0);
}

/** A span the clock stood still (a question to the applicant, from asking to answer). */
export interface Pause {
  from: string;
  /** null: still waiting; the pause lasts until `now` */
  to: string | null;
}

/** Working days a case spent waiting for the applicant (each pause counted from its first to its last day). */
export function pausedWorkingDays(pauses: Pause[], now: Date): number {
  return pauses.reduce((sum, p) => sum + workingDaysBetween(todayIso(new Date(p.from)), todayIso(p.to ? new Date(p.to) : now)), 0);
}

/**
 * When something started at `start` with a budget of `workingDays` falls due: the end (23:59:59
 * Zurich time) of that working day, moved on by the working days the case waited for the applicant.
 */
export function dueAfterWorkingDays(start: Date, workingDays: number, pausedDays = 0): Date {
  return endOfDayZurich(addWorkingDays(todayIso(start), workingDays + pausedDays));
}

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Zurich', timeZoneName: 'longOffset' });

/** 23:59:59.999 on a calendar date in Zurich, as an instant (CET or CEST as on that day). */
export function endOfDayZurich(isoDate: string): Date {
  const noon = new Date(`${isoDate}T12:00:00Z`);
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetFormat.format(noon));
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(Date.parse(`${isoDate}T23:59:59.999Z`) - minutes * 60_000);
}

/** An ISO 8601 duration (whole seconds, at least one) from `now` until `due`, for a Zeebe timer. */
export function durationUntil(due: Date, now: Date): string {
  return `PT${Math.max(1, Math.ceil((due.getTime() - now.getTime()) / 1000))}S`;
}

/** The target time of a service that names none (service.targetDays unset). */
export const DEFAULT_TARGET_WORKING_DAYS = 5;

/**
 * The Zeebe timer duration (variable `escalateAfter`) after which a case's human task escalates to
 * the team lead: the service's target time in working days from the submission, plus the working
 * days spent waiting for the applicant. Set at the start and again with each answer, so a Rückfrage
 * pauses the escalation clock instead of restarting it.
 */
export function escalationDuration(submittedAt: string, targetWorkingDays: number, pauses: Pause[], now: Date): string {
  return durationUntil(dueAfterWorkingDays(new Date(submittedAt), targetWorkingDays, pausedWorkingDays(pauses, now)), now);
}
