import type { Db } from '../db/database';
import { parseJson } from '../db/database';
import type { Municipality } from '../../workers/ports';

export interface Organisation {
  id: string;
  kind: 'municipality' | 'canton';
  name: string;
  bfsNumber: number | null;
}

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

  async get(id: string): Promise<Organisation | undefined> {
    const row = await this.db('organisations').where({ id }).first();
    return row ? { id: row.id, kind: row.kind, name: row.name, bfsNumber: row.bfs_number } : undefined;
  }

  async upsertMunicipality(m: Municipality & { population: number | null }): Promise<void> {
    await this.db('municipalities')
      .insert({
        bfs_number: m.bfsNumber,
        name: m.name,
        district: m.district,
        population: m.population,
        postal_codes: JSON.stringify(m.postalCodes),
      })
      .onConflict('bfs_number')
      .merge();
  }

  async upsert(org: Organisation): Promise<void> {
    await this.db('organisations')
      .insert({ id: org.id, kind: org.kind, name: org.name, bfs_number: org.bfsNumber })
      .onConflict('id')
      .merge();
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
