/**
 * Postcode → Lucerne municipality, from the Swiss Post / BFS locality table
 * (migrations/seeds/data/lu-postal-localities.csv, copied from shared/data). A postcode can span
 * several municipalities; the one with the largest share of the postcode's addresses wins.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/config/config';

export interface PostcodeMatch {
  bfsNumber: number;
  municipality: string;
  locality: string;
  /** share of the postcode's addresses in this municipality, in percent */
  sharePercent: number;
}

const csvPath = path.join(projectRoot, 'migrations', 'seeds', 'data', 'lu-postal-localities.csv');

let byPostcode: Map<string, PostcodeMatch[]> | undefined;

function table(): Map<string, PostcodeMatch[]> {
  if (byPostcode) return byPostcode;
  const [header, ...lines] = fs.readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  const idx = (name: string) => cols.indexOf(name);
  const map = new Map<string, PostcodeMatch[]>();
  for (const line of lines) {
    const cells = line.split(',');
    const plz = cells[idx('plz4')]!;
    const match: PostcodeMatch = {
      bfsNumber: Number(cells[idx('bfs_number')]),
      municipality: cells[idx('municipality')]!,
      locality: cells[idx('locality_name')]!,
      sharePercent: Number(cells[idx('address_share_percent')]),
    };
    const list = map.get(plz) ?? [];
    list.push(match);
    map.set(plz, list);
  }
  for (const list of map.values()) list.sort((a, b) => b.sharePercent - a.sharePercent);
  byPostcode = map;
  return map;
}

/** All Lucerne municipalities of a postcode, largest address share first (empty outside the canton). */
export function municipalitiesForPostcode(postcode: string): PostcodeMatch[] {
  return [...(table().get(postcode.trim()) ?? [])];
}

/** The Lucerne municipality a postcode (mostly) belongs to; undefined outside the canton. */
export function municipalityForPostcode(postcode: string): PostcodeMatch | undefined {
  return municipalitiesForPostcode(postcode)[0];
}
