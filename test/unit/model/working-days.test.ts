/** The Lucerne working-day calendar (model/working-days.ts): due dates never on a Sunday or 8 December. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  deadlineAfter,
  dueAfterWorkingDays,
  durationUntil,
  endOfDayZurich,
  isWorkingDay,
  lucerneHolidays,
  escalationDuration,
  pausedWorkingDays,
  workingDaysBetween,
} from '../../../model/working-days.js';
import { addDays } from '../../../model/dates.js';

describe('Lucerne holidays', () => {
  it('has the movable feasts of the Lucerne list at their dates (Easter 2026: 5 April, 2027: 28 March)', () => {
    const h2026 = lucerneHolidays(2026);
    expect(h2026.get('2026-04-03')).toBe('Karfreitag');
    expect(h2026.get('2026-04-06')).toBe('Ostermontag');
    expect(h2026.get('2026-05-14')).toBe('Auffahrt');
    expect(h2026.get('2026-05-25')).toBe('Pfingstmontag');
    expect(h2026.get('2026-06-04')).toBe('Fronleichnam');
    expect(lucerneHolidays(2027).get('2027-03-29')).toBe('Ostermontag');
  });

  it('has exactly the thirteen days of the Lucerne list (RLG SRL 855 § 1a and the administration’s days off), 8 December among them, and the Sunday feasts', () => {
    for (const year of [2026, 2027, 2030]) {
      const names = [...lucerneHolidays(year).values()].sort();
      expect(names, String(year)).toEqual(
        [
          'Neujahr',
          'Berchtoldstag',
          'Karfreitag',
          'Ostersonntag',
          'Ostermontag',
          'Auffahrt',
          'Pfingstsonntag',
          'Pfingstmontag',
          'Fronleichnam',
          'Bundesfeiertag',
          'Mariä Himmelfahrt',
          'Eidg. Dank-, Buss- und Bettag',
          'Allerheiligen',
          'Mariä Empfängnis',
          'Weihnachtstag',
          'Stephanstag',
        ].sort(),
      );
    }
    const h = lucerneHolidays(2026);
    for (const day of ['2026-01-01', '2026-01-02', '2026-08-01', '2026-08-15', '2026-11-01', '2026-12-08', '2026-12-25', '2026-12-26']) expect(h.has(day), day).toBe(true);
    // 1 May, Josefstag and Gründonnerstag are not cantonal holidays in Lucerne
    expect(h.has('2026-05-01')).toBe(false);
    expect(h.has('2026-03-19')).toBe(false);
    expect(h.has('2026-04-02')).toBe(false);
  });

  it('treats weekends and holidays as non-working days', () => {
    expect(isWorkingDay('2026-12-07')).toBe(true); // Monday
    expect(isWorkingDay('2026-12-08')).toBe(false); // Tuesday, Mariä Empfängnis
    expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
    expect(isWorkingDay('2026-12-06')).toBe(false); // Sunday
  });
});

describe('addWorkingDays', () => {
  it('skips the weekend and 8 December (calendar days would land on Sunday 6 December)', () => {
    expect(addDays('2026-12-04', 2)).toBe('2026-12-06');
    expect(addWorkingDays('2026-12-04', 2)).toBe('2026-12-09');
    expect(addWorkingDays('2026-12-04', 1)).toBe('2026-12-07');
  });

  it('skips Christmas and New Year', () => {
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('0 days: the day itself when it is a working day, else the next one', () => {
    expect(addWorkingDays('2026-12-07', 0)).toBe('2026-12-07');
    expect(addWorkingDays('2026-12-05', 0)).toBe('2026-12-07');
  });

  it('never returns a non-working day and always moves forward at least n calendar days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 * 365 }), fc.integer({ min: 0, max: 40 }), (offset, n) => {
        const start = addDays('2020-01-01', offset);
        const due = addWorkingDays(start, n);
        expect(isWorkingDay(due)).toBe(true);
        expect(due >= addDays(start, n)).toBe(true);
        // from a day off, the next working day is day 0 of the budget
        expect(workingDaysBetween(start, due)).toBe(isWorkingDay(start) ? n : n + 1);
      }),
    );
  });

  it('refuses negative or fractional budgets', () => {
    expect(() => addWorkingDays('2026-12-07', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-12-07', 1.5)).toThrow(RangeError);
  });
});

describe('deadlineAfter (legal deadlines in calendar days)', () => {
  it('the 14-day move deadline ending on a Sunday runs to Monday; on 8 December to the 9th', () => {
    expect(deadlineAfter('2026-11-08', 14)).toBe('2026-11-23'); // 22 November is a Sunday
    expect(deadlineAfter('2026-11-24', 14)).toBe('2026-12-09'); // 8 December
    expect(deadlineAfter('2026-11-25', 14)).toBe('2026-12-09'); // a Wednesday stays
  });
});

describe('due instants and the paused clock', () => {
  it('ends at 23:59:59 Zurich time, in winter and in summer', () => {
    expect(endOfDayZurich('2026-12-09').toISOString()).toBe('2026-12-09T22:59:59.999Z');
    expect(endOfDayZurich('2026-07-09').toISOString()).toBe('2026-07-09T21:59:59.999Z');
  });

  it('a task created on Friday afternoon with 2 working days falls due on Wednesday 9 December', () => {
    const due = dueAfterWorkingDays(new Date('2026-12-04T14:00:00Z'), 2);
    expect(due.toISOString()).toBe('2026-12-09T22:59:59.999Z');
  });

  it('the days waiting for the applicant move the due date on instead of restarting the clock', () => {
    // asked on Monday 7 December, answered on Thursday 10 December: 2 working days paused (9th, 10th)
    const pauses = [{ from: '2026-12-07T09:00:00Z', to: '2026-12-10T09:00:00Z' }];
    const paused = pausedWorkingDays(pauses, new Date('2026-12-10T10:00:00Z'));
    expect(paused).toBe(2);
    expect(dueAfterWorkingDays(new Date('2026-12-04T14:00:00Z'), 2, paused).toISOString()).toBe('2026-12-11T22:59:59.999Z');
    // a restarted clock (the old behaviour) would give 2 working days from the answer: Monday 14th
    expect(dueAfterWorkingDays(new Date('2026-12-10T09:00:00Z'), 2).toISOString()).toBe('2026-12-14T22:59:59.999Z');
    // an open question pauses until now
    expect(pausedWorkingDays([{ from: '2026-12-07T09:00:00Z', to: null }], new Date('2026-12-09T10:00:00Z'))).toBe(1);
  });

  it('durationUntil gives the whole seconds to a due instant, at least one', () => {
    const now = new Date('2026-12-09T22:00:00Z');
    expect(durationUntil(new Date('2026-12-09T22:59:59.999Z'), now)).toBe('PT3600S');
    expect(durationUntil(new Date('2026-12-01T00:00:00Z'), now)).toBe('PT1S');
  });
});

describe('escalation timer (service target time in working days)', () => {
  it('runs to the end of the target working day, skipping the weekend, 8 December and the days waited for the applicant', () => {
    // submitted Friday 4 December 2026, 5 working days: 7, 9, 10, 11, 14 December (8 December is a holiday), 24:00 Zurich
    const now = new Date('2026-12-04T09:00:00Z');
    const seconds = (iso: string) => `PT${(Date.parse(iso) - now.getTime()) / 1000}S`;
    expect(escalationDuration('2026-12-04T09:00:00Z', 5, [], now)).toBe(seconds('2026-12-14T23:00:00Z'));
    // waiting for an answer from Monday 7 to Wednesday 9 December: one working day more (the 9th;
    // the day the question went out was worked, the 8th is a holiday) → Tuesday 15 December
    expect(escalationDuration('2026-12-04T09:00:00Z', 5, [{ from: '2026-12-07', to: '2026-12-09' }], now)).toBe(seconds('2026-12-15T23:00:00Z'));
  });
});
