/**
 * Postcode + locality → Lucerne municipalities, from the swisstopo Amtliches Ortschaftenverzeichnis
 * 2026 (migrations/seeds/data/lu-postal-localities.csv, copied from shared/data, see its
 * SOURCES.md; reference data kept as a file, read once). 75 of the canton's postcodes span several
 * municipalities, and the table has no streets: the postcode and the locality name narrow the
 * candidates, and where several remain the applicant chooses (DESIGN.md §9). The largest share of
 * the postcode is never the answer on its own (it sent 6005 Luzern to Horw, through the locality
 * St. Niklausen). The workers reach it through their `municipalities` port.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/config';
import type { PostcodeMatch } from '../../model/types';
import { foldForSearch } from '../lib/search-fold';

const defaultCsvPath = path.join(projectRoot, 'migrations', 'seeds', 'data', 'lu-postal-localities.csv');

export class PostcodeRepository {
  private byPostcode: Map<string, PostcodeMatch[]> | undefined;

  constructor(private readonly csvPath = defaultCsvPath) {}

  /** All Lucerne municipalities of a postcode, largest address share first (empty outside the canton). */
  municipalitiesFor(postcode: string): PostcodeMatch[] {
    return [...(this.table().get(postcode.trim()) ?? [])];
  }

  /**
   * The Lucerne municipalities an address with this postcode and locality can lie in, one entry per
   * municipality, largest share of that locality first (empty outside the canton). A locality the
   * table does not know (a typo, a hamlet) leaves every municipality of the postcode.
   */
  candidatesFor(postcode: string, locality: string): PostcodeMatch[] {
    const all = this.municipalitiesFor(postcode);
    const place = localityKey(locality);
    const named = all.filter((m) => localityKey(m.locality) === place);
    const matches = named.length > 0 ? named : all;
    const seen = new Set<number>();
    return matches.filter((m) => !seen.has(m.bfsNumber) && seen.add(m.bfsNumber));
  }

  private table(): Map<string, PostcodeMatch[]> {
    this.byPostcode ??= readLocalities(this.csvPath);
    return this.byPostcode;
  }
}

/** "Hasle LU", "Hasle (LU)" and "hasle" name the same place; "b." and "bei" too. */
function localityKey(name: string): string {
  return foldForSearch(name)
    .replace(/\(?\blu\b\)?$/, '')
    .replace(/\bb\.\s*/g, 'bei ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
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
