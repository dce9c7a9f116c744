/**
 * A case row for tests on a database of their own (unit tests, a second server's data folder):
 * written through the repository as a submission writes it (with its case_organisations row and,
 * for a portal client's case, its `received` status callback), without a process instance.
 */
import type { Knex } from 'knex';
import type { CaseRepository, NewCase } from '../../server/repositories/cases';

/** Inserts a received residence-certificate case of Anna Muster in Luzern; `fields` override. Its id. */
export function insertCase(db: Knex, cases: CaseRepository, fields: Partial<NewCase> & { reference: string }): Promise<number> {
  return db.transaction((trx) =>
    cases.insert(trx, {
      serviceKey: 'wohnsitzbestaetigung',
      processId: 'wohnsitzbestaetigung',
      municipality: 1061,
      organisationId: 'municipality:1061',
      status: 'received',
      applicant: {
        firstName: 'Anna',
        lastName: 'Muster',
        dateOfBirth: '1985-04-12',
        email: 'a@example.ch',
        address: { street: 'Pilatusstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' },
      },
      data: {},
      accessTokenHash: 'x'.repeat(64),
      receipt: {},
      submittedAt: new Date().toISOString(),
      ...fields,
    }),
  );
}
