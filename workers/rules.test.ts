/**
 * The Lucerne rules of issue 16, each with the case that the old behaviour got wrong
 * (sources next to the rules in the workers and in model/working-days.ts).
 */
import { describe, expect, it } from 'vitest';
import { moveAssess } from './umzug.js';
import { caseVariables, fakePorts, job } from './testing/fake-ports.js';
import type { FakePorts } from './testing/fake-ports.js';

/** fake ports whose clock reads `iso` */
function portsAt(iso: string): FakePorts {
  const ports = fakePorts();
  ports.clock = { now: () => new Date(iso) };
  return ports;
}

describe('umzug: the 14-day report deadline in the clerk form', () => {
  const move = (movingDate: string) =>
    caseVariables({
      serviceKey: 'umzug',
      data: { moveType: 'innerhalb', movingDate, newStreet: 'Gerliswilstrasse', newHouseNumber: '7', newPostalCode: '6020', newTown: 'Emmenbrücke', newCountry: 'CH', householdMembers: 0 },
    });

  it('a deadline ending on 8 December runs to the 9th: a report on the 9th is in time', async () => {
    const result = await moveAssess(job('move-assess', move('2026-11-24')), portsAt('2026-12-09T10:00:00Z'));
    expect(result.variables).toMatchObject({ reportDeadline: '2026-12-09', lateReport: false, reportDeadlineText: '09.12.2026 (14 Tage ab Umzug; rechtzeitig gemeldet)' });
  });

  it('a report after the deadline is marked late', async () => {
    const result = await moveAssess(job('move-assess', move('2026-11-24')), portsAt('2026-12-10T10:00:00Z'));
    expect(result.variables).toMatchObject({ lateReport: true, reportDeadlineText: '09.12.2026 (14 Tage ab Umzug; verspätet gemeldet)' });
  });
});
