/**
 * Issue 16 on the real broker: due dates in Lucerne working days, the clock paused by a Rückfrage,
 * routing by postcode and locality, the responsible offices, and the rule fixes.
 */
import { describe, expect, it } from 'vitest';
import { call, guideDogWaitingForAnswer, openTasksOf, waitFor, waitForStatus } from './client';
import { dueAfterWorkingDays, isWorkingDay } from '../../model/working-days';
import { todayIso } from '../../model/dates';

describe('due dates in working days', () => {
  it('a task falls due after its budget in Lucerne working days, and the task after the answer keeps that date', async () => {
    const { reference, accessToken, clerk, task, requestId } = await guideDogWaitingForAnswer();
    // «Steuerbefreiung prüfen» has task.workingDays = 10
    const expected = dueAfterWorkingDays(new Date(task.createdAt), 10).toISOString();
    expect(task.dueDate).toBe(expected);
    expect(isWorkingDay(todayIso(new Date(task.dueDate)))).toBe(true);

    const answered = await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: { requestId, message: 'Ausweis liegt bei.' } });
    expect(answered.status).toBe(202);
    await waitForStatus(reference, accessToken, 'in_progress');
    const again = await waitFor('the task after the answer', async () => (await openTasksOf(clerk, reference)).find((t) => t.id !== task.id && t.name === 'Steuerbefreiung prüfen'));
    // the clock counts from the first task and only moves on by whole working days waited (none
    // today): a restarted clock would give a later instant
    expect(again.dueDate).toBe(expected);
  });
});
