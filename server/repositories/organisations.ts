import type { Db } from '../db/database';
import { parseJson } from '../db/database';
import type { Municipality } from '../../workers/ports';

/** Organisation id of a municipality's administration. */
export const municipalityOrganisationId = (bfsNumber: number): string => `municipality:${bfsNumber}`;

export class OrganisationRepository {
  constructor(private readonly db: Db) {}

  async listMunicipalities(): Promise<Municipality[]> {
    const rows = await this.db('municipalities').orderBy('name');
    return rows.map(toMunicipality);
  }

  async getMunicipality(bfsNumber: number): Promise<Municipality | undefined> {
    const row = await this.db('municipalities').where({ bfs_number: bfsNumber }).first();
    return row ? toMunicipality(row) : undefined;
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
