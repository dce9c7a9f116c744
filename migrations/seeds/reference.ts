/**
 * Reference data every installation needs (not only demo mode): the 79 Lucerne municipalities
 * (copied from shared/data, BFS numbers per eCH-0007), one organisation per municipality
 * administration, and the cantonal offices. Idempotent: runs at every start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/config/config';
import type { Db } from '../../server/db/database';
import { municipalityOrganisationId } from '../../server/repositories/organisations';

const dataDir = path.join(projectRoot, 'migrations', 'seeds', 'data');

export const cantonalOffices = [
  { id: 'canton:steuerverwaltung', name: 'Dienststelle Steuern des Kantons Luzern', inboxGroups: ['steuern'] },
  { id: 'canton:betreibungsamt', name: 'Betreibungsamt Luzern', inboxGroups: ['betreibungsamt'] },
  { id: 'canton:veterinaerdienst', name: 'Veterinärdienst des Kantons Luzern', inboxGroups: [] },
  { id: 'canton:strassenverkehrsamt', name: 'Strassenverkehrsamt des Kantons Luzern', inboxGroups: [] },
];

/** the inbox (candidate) group of every municipality's administration in the processes */
const MUNICIPAL_INBOX_GROUPS = ['einwohnerdienste'];

export function readMunicipalitiesCsv(): Array<{ bfsNumber: number; name: string; district: string; population: number | null; postalCodes: string[] }> {
  const [header, ...lines] = fs.readFileSync(path.join(dataDir, 'lu-municipalities.csv'), 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  return lines.map((line) => {
    const cells = Object.fromEntries(line.split(',').map((value, i) => [columns[i], value]));
    return {
      bfsNumber: Number(cells.bfs_number),
      name: cells.name!,
      district: cells.district!,
      population: cells.population ? Number(cells.population) : null,
      postalCodes: cells.postal_codes!.split(';'),
    };
  });
}

export async function seedReferenceData(db: Db): Promise<void> {
  // counted here, not through the repository, which reads the municipalities only once
  const existing = await db('municipalities').count({ n: '*' }).first();
  const municipalities = readMunicipalitiesCsv();
  if (Number(existing?.n) === municipalities.length) return;
  await db.transaction(async (trx) => {
    for (const m of municipalities) {
      await trx('municipalities')
        .insert({ bfs_number: m.bfsNumber, name: m.name, district: m.district, population: m.population, postal_codes: JSON.stringify(m.postalCodes) })
        .onConflict('bfs_number')
        .merge();
      await trx('organisations')
        .insert({ id: municipalityOrganisationId(m.bfsNumber), kind: 'municipality', name: `Gemeinde ${m.name}`, bfs_number: m.bfsNumber, inbox_groups: JSON.stringify(MUNICIPAL_INBOX_GROUPS) })
        .onConflict('id')
        .merge(['kind', 'name', 'bfs_number']);
    }
    for (const office of cantonalOffices) {
      await trx('organisations')
        .insert({ id: office.id, name: office.name, kind: 'canton', bfs_number: null, inbox_groups: JSON.stringify(office.inboxGroups) })
        .onConflict('id')
        .merge(['kind', 'name', 'bfs_number']);
    }
  });
}
