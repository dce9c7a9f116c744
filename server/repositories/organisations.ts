import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { parseJson } from '../db/database';
import type { Municipality, OrganisationInfo } from '../../model/types';

/** An organisation as the administration manages it: a municipality's administration or a cantonal office. */
export interface OrganisationRecord {
  id: string;
  kind: 'municipality' | 'canton';
  name: string;
  bfsNumber: number | null;
  /** the candidate groups of its inboxes (the processes' user tasks name them) */
  inboxGroups: string[];
}

/** Organisation id of a municipality's administration. */
export const municipalityOrganisationId = (bfsNumber: number): string => `municipality:${bfsNumber}`;

export class OrganisationRepository {
  /**
   * The 79 municipalities are reference data, written only by the reference seed at start-up
   * before anything reads them, so they are read once. Every job and submission looks one up.
   */
  private municipalities: Promise<Municipality[]> | undefined;

  constructor(private readonly db: Db) {}

  listMunicipalities(): Promise<Municipality[]> {
    this.municipalities ??= this.db('municipalities')
      .orderBy('name')
      .then(
        (rows) => {
          if (rows.length === 0) this.municipalities = undefined; // not seeded yet: read again next time
          return Object.freeze(rows.map((row) => Object.freeze(toMunicipality(row)))) as Municipality[];
        },
        (err) => {
          this.municipalities = undefined; // a failed read is retried
          throw err;
        },
      );
    return this.municipalities;
  }

  async getMunicipality(bfsNumber: number): Promise<Municipality | undefined> {
    return (await this.listMunicipalities()).find((m) => m.bfsNumber === bfsNumber);
  }

  /** Organisations by kind and name; `within`: only these ids. */
  async list(within: string[] | 'all'): Promise<OrganisationRecord[]> {
    const rows = await this.db('organisations')
      .modify((b) => (within === 'all' ? b : b.whereIn('id', within)))
      .orderBy([{ column: 'kind', order: 'desc' }, { column: 'name' }])
      .select('id', 'kind', 'name', 'bfs_number', 'inbox_groups');
    return rows.map(toOrganisation);
  }

  async get(id: string, trx: Knex.Transaction | Db = this.db): Promise<OrganisationRecord | undefined> {
    const row = await trx('organisations').where({ id }).first('id', 'kind', 'name', 'bfs_number', 'inbox_groups');
    return row ? toOrganisation(row) : undefined;
  }

  /** Inserts a new organisation; false when the id is taken (one statement: two admins at once cannot both create it). */
  async create(trx: Knex.Transaction, org: OrganisationRecord): Promise<boolean> {
    const inserted = await trx('organisations')
      .insert({ id: org.id, kind: org.kind, name: org.name, bfs_number: org.bfsNumber, inbox_groups: JSON.stringify(org.inboxGroups) })
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  async update(trx: Knex.Transaction, id: string, change: { name: string; inboxGroups: string[] }): Promise<void> {
    await trx('organisations')
      .where({ id })
      .update({ name: change.name, inbox_groups: JSON.stringify(change.inboxGroups) });
  }

  /** Issuer and creditor data of an organisation (columns of migration 004). */
  async info(id: string): Promise<OrganisationInfo | undefined> {
    const row = await this.db('organisations').where({ id }).first();
    if (!row) return undefined;
    const hasAddress = row.street && row.postal_code && row.town;
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      department: row.department ?? null,
      bfsNumber: row.bfs_number ?? null,
      address: hasAddress ? { street: row.street, houseNumber: row.house_number ?? '', postalCode: row.postal_code, town: row.town } : null,
      iban: row.iban ?? null,
      ibanIsDemo: Boolean(row.iban_is_demo),
    };
  }
}

function toOrganisation(row: any): OrganisationRecord {
  return { id: row.id, kind: row.kind, name: row.name, bfsNumber: row.bfs_number ?? null, inboxGroups: parseJson<string[]>(row.inbox_groups, []) };
}

function toMunicipality(row: any): Municipality {
  return {
    bfsNumber: row.bfs_number,
    name: row.name,
    district: row.district,
    postalCodes: parseJson<string[]>(row.postal_codes, []),
  };
}
