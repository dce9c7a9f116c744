/** Which municipality is responsible, from the postcode and the locality. */
import type { Municipality } from '../api/types';
import { normalise } from '../catalogue/search';

export interface MunicipalityChoice {
  /** the municipalities to choose from (empty: the postcode is not a Lucerne one) */
  candidates: Municipality[];
  /** set when exactly one fits */
  chosen?: Municipality;
}

export function municipalityChoice(all: Municipality[], postalCode: string, town: string): MunicipalityChoice {
  const code = postalCode.trim();
  if (!/^\d{4}$/.test(code)) return { candidates: [] };
  const candidates = all.filter((m) => m.postalCodes.includes(code));
  if (candidates.length === 1) return { candidates, chosen: candidates[0] };
  // several share the postcode: the locality decides when it names one of them
  const place = normalise(town);
  const byName = place ? candidates.filter((m) => normalise(m.name) === place || normalise(m.name).startsWith(`${place} `)) : [];
  return { candidates, chosen: byName.length === 1 ? byName[0] : undefined };
}
