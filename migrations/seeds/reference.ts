/**
 * Reference data every installation needs (not only demo mode): the 79 Lucerne municipalities
 * (copied from shared/data, BFS numbers per eCH-0007), one organisation per municipality
 * administration, the cantonal offices, and the municipal offices that decide some services (the
 * Betreibungsamt and the Steueramt of each municipality, regional offices, the parking office of
 * Stadt Luzern: model/responsible-offices.ts, with sources). Idempotent: runs at every start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/config/config';
import type { Db } from '../../server/db/database';
import { municipalityOrganisationId } from '../../server/repositories/organisations';
import { municipalAuthorityName } from '../../model/authority';
import { DEBT_OFFICE, PARKING_OFFICE, TAX_OFFICE } from '../../model/responsible-offices';

const dataDir = path.join(projectRoot, 'migrations', 'seeds', 'data');

export const cantonalOffices = [
  { id: 'canton:steuerverwaltung', name: 'Dienststelle Steuern des Kantons Luzern', inboxGroups: ['steuern'] },
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

type MunicipalityRow = ReturnType<typeof readMunicipalitiesCsv>[number];

/** The municipal offices of model/responsible-offices.ts as organisations (kind municipality). */
function officeOrganisations(municipalities: MunicipalityRow[]) {
  const inRegion = new Set<number>(DEBT_OFFICE.regions.flatMap((r) => [...r.municipalities]));
  return [
    ...municipalities.flatMap((m) => [
      ...(inRegion.has(m.bfsNumber) ? [] : [{ id: DEBT_OFFICE.ofMunicipality(m.bfsNumber), name: `Betreibungsamt ${m.name}`, bfs_number: m.bfsNumber, groups: ['betreibungsamt'] }]),
      { id: TAX_OFFICE.ofMunicipality(m.bfsNumber), name: `Steueramt ${m.name}`, bfs_number: m.bfsNumber, groups: ['steuern'] },
    ]),
    ...DEBT_OFFICE.regions.map((r) => ({ id: r.id, name: r.name, bfs_number: null, groups: ['betreibungsamt'] })),
    { id: PARKING_OFFICE.id, name: PARKING_OFFICE.name, bfs_number: PARKING_OFFICE.bfsNumber, groups: ['parkkarten'] },
  ].map(({ groups, ...o }) => ({ ...o, kind: 'municipality', inbox_groups: JSON.stringify(groups) }));
}

export async function seedReferenceData(db: Db): Promise<void> {
  const municipalities = readMunicipalitiesCsv();
  const offices = officeOrganisations(municipalities);
  // counted here, not through the repository, which reads the municipalities only once
  const existing = await db('municipalities').count({ n: '*' }).first();
  const existingOffices = await db('organisations')
    .whereIn(
      'id',
      offices.map((o) => o.id),
    )
    .count({ n: '*' })
    .first();
  if (Number(existing?.n) === municipalities.length && Number(existingOffices?.n) === offices.length) return;
  await db.transaction(async (trx) => {
    for (const office of offices) await trx('organisations').insert(office).onConflict('id').merge(['kind', 'name', 'bfs_number']);
    for (const m of municipalities) {
      await trx('municipalities')
        .insert({ bfs_number: m.bfsNumber, name: m.name, district: m.district, population: m.population, postal_codes: JSON.stringify(m.postalCodes) })
        .onConflict('bfs_number')
        .merge();
      await trx('organisations')
        .insert({ id: municipalityOrganisationId(m.bfsNumber), kind: 'municipality', name: municipalAuthorityName(m), bfs_number: m.bfsNumber, inbox_groups: JSON.stringify(MUNICIPAL_INBOX_GROUPS) })
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
