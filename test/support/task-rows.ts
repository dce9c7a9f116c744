/**
 * Cases and tasks written straight into the shared test server's database from the test process:
 * another process than the server, as a second server or worker process would write them. Tasks
 * go through TaskRepository.upsertActivated, as the user-task projection writes them, without a
 * job in the broker (the reconciler may later close them).
 */
import crypto from 'node:crypto';
import { inject } from 'vitest';
import type { Db } from '../../server/db/database';
import { CaseRepository } from '../../server/repositories/cases';
import { TaskRepository } from '../../server/repositories/tasks';
import { municipalityOrganisationId } from '../../server/repositories/organisations';
import { openTestDatabase } from '../integration/server-process';
import { insertCase } from './cases';

export interface TaskRows {
  db: Db;
  /** a case of the municipality (reference in 1999, never one the server numbers); its id and reference */
  addCase(municipality: number, applicant?: { firstName: string; lastName: string }): Promise<{ id: number; reference: string }>;
  /** an open task of the case, offered to `groups`; its id */
  addTask(c: { id: number; reference: string }, municipality: number, name: string, groups?: string[], applicantName?: string): Promise<string>;
  close(): Promise<void>;
}

export async function openTaskRows(): Promise<TaskRows> {
  const db = await openTestDatabase(inject('dataDir'));
  const cases = new CaseRepository(db);
  const tasks = new TaskRepository(db);
  return {
    db,
    async addCase(municipality, applicant = { firstName: 'Live', lastName: 'Inbox' }) {
      const reference = `LU-1999-${crypto.randomInt(100_000, 999_999)}`;
      const id = await insertCase(db, cases, {
        reference,
        municipality,
        organisationId: municipalityOrganisationId(municipality),
        applicant: {
          firstName: applicant.firstName,
          lastName: applicant.lastName,
          dateOfBirth: '1980-01-01',
          email: 'live@example.ch',
          address: { street: 'Weg', houseNumber: '1', postalCode: '6000', town: 'Luzern' },
        },
      });
      return { id, reference };
    },
    async addTask(c, municipality, name, groups = ['einwohnerdienste'], applicantName = 'Live Inbox') {
      // a canonical 64-bit integer like a Zeebe job key, far above the broker's
      const id = `8${crypto.randomInt(10 ** 11, 10 ** 12)}${crypto.randomInt(100_000, 999_999)}`; // 19 digits, below 2^63
      await tasks.upsertActivated({
        id,
        caseId: c.id,
        caseReference: c.reference,
        serviceKey: 'wohnsitzbestaetigung',
        municipality,
        organisationId: municipalityOrganisationId(municipality),
        name,
        elementId: 'live-test',
        processInstanceKey: id,
        elementInstanceKey: id,
        formKey: null,
        candidateGroups: groups,
        candidateUsers: [],
        assignee: null,
        dueDate: null,
        followUpDate: null,
        retries: 1,
        variables: {},
        applicantName,
      });
      return id;
    },
    close: () => db.destroy(),
  };
}
