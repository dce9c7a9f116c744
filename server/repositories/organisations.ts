import type { Db } from '../db/database';
import { parseJson } from '../db/database';
import type { Municipality, OrganisationInfo } from '../../model/types';

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

function toMunicipality(row: any): Municipality {
  return {
    bfsNumber: row.bfs_number,
    name: row.name,
    district: row.district,
    postalCodes: parseJson<string[]>(row.postal_codes, []),
  };
}
