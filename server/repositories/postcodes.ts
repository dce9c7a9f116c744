/**
 * Postcode → Lucerne municipality, from the Swiss Post / BFS locality table
 * (migrations/seeds/data/lu-postal-localities.csv, copied from shared/data; reference data kept as
 * a file, read once). A postcode can span several municipalities; the one with the largest share
 * of the postcode's addresses wins. The workers reach it through their `municipalities` port.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/config';
import type { PostcodeMatch } from '../../model/types';

const defaultCsvPath = path.join(projectRoot, 'migrations', 'seeds', 'data', 'lu-postal-localities.csv');

export class PostcodeRepository {
  private byPostcode: Map<string, PostcodeMatch[]> | undefined;

  constructor(private readonly csvPath = defaultCsvPath) {}

  /** All Lucerne municipalities of a postcode, largest address share first (empty outside the canton). */
  municipalitiesFor(postcode: string): PostcodeMatch[] {
    return [...(this.table().get(postcode.trim()) ?? [])];
  }

  /** The Lucerne municipality a postcode (mostly) belongs to; undefined outside the canton. */
  municipalityFor(postcode: string): PostcodeMatch | undefined {
    return this.municipalitiesFor(postcode)[0];
  }

  private table(): Map<string, PostcodeMatch[]> {
    this.byPostcode ??= readLocalities(this.csvPath);
    return this.byPostcode;
  }
}

function readLocalities(csvPath: string): Map<string, PostcodeMatch[]> {
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
  return map;
}
