import { describe, expect, it } from 'vitest';
import { canSee } from '../../../server/domain/task-events';

const task = { organisationId: 'municipality:1061', candidateGroups: ['einwohnerdienste'], candidateUsers: [], assignee: null };

describe('live inbox visibility', () => {
  it('organisation first, then groups, candidate users or assignee; leads and admins see the organisation', () => {
    const clerk = { organisations: ['municipality:1061'], groupsOf: { username: 'lea', groups: ['einwohnerdienste'] } };
    expect(canSee(clerk, task)).toBe(true);
    expect(canSee({ ...clerk, organisations: ['municipality:1024'] }, task)).toBe(false);
    expect(canSee(clerk, { ...task, candidateGroups: ['steuern'] })).toBe(false);
    expect(canSee(clerk, { ...task, candidateGroups: ['steuern'], assignee: 'lea' })).toBe(true);
    expect(canSee(clerk, { ...task, candidateGroups: [], candidateUsers: ['lea'] })).toBe(true);
    expect(canSee({ organisations: ['municipality:1061'], groupsOf: null }, { ...task, candidateGroups: ['steuern'] })).toBe(true);
    expect(canSee({ organisations: 'all', groupsOf: null }, task)).toBe(true);
  });
});
