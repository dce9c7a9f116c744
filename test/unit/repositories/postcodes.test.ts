/** The postcode directory behind the workers' `municipalities.forPostcode` port. */
import { describe, expect, it } from 'vitest';
import { PostcodeRepository } from '../../../server/repositories/postcodes';

const postcodes = new PostcodeRepository();

describe('postcode → municipality', () => {
  it('maps Lucerne postcodes by the largest address share', () => {
    expect(postcodes.municipalityFor('6003')).toMatchObject({ bfsNumber: 1061, municipality: 'Luzern' });
    expect(postcodes.municipalityFor('6020')).toMatchObject({ bfsNumber: 1024, municipality: 'Emmen', locality: 'Emmenbrücke' });
    expect(postcodes.municipalityFor('6010')).toMatchObject({ bfsNumber: 1059 });
    expect(postcodes.municipalitiesFor('6020').map((m) => m.bfsNumber)).toEqual([1024, 1054, 1061]);
  });
  it('knows nothing outside the canton', () => {
    expect(postcodes.municipalityFor('8001')).toBeUndefined();
    expect(postcodes.municipalitiesFor('3000')).toEqual([]);
  });
});
