/** The postcode directory behind address routing and the workers' `municipalities.forAddress` port. */
import { describe, expect, it } from 'vitest';
import { PostcodeRepository } from '../../../server/repositories/postcodes';
import { classifyMove } from '../../../workers/umzug';

const postcodes = new PostcodeRepository();
const bfs = (postcode: string, locality: string) => postcodes.candidatesFor(postcode, locality).map((m) => m.bfsNumber);

describe('postcode + locality → municipalities', () => {
  it('6005 Luzern is Luzern first (not Horw through St. Niklausen), with Kriens and Horw as the other candidates', () => {
    expect(postcodes.municipalitiesFor('6005')[0]).toMatchObject({ bfsNumber: 1058, locality: 'St. Niklausen LU' });
    expect(bfs('6005', 'Luzern')).toEqual([1061, 1059, 1058]);
    expect(bfs('6005', 'St. Niklausen')).toEqual([1058]);
    expect(bfs('6005', 'St. Niklausen LU')).toEqual([1058]);
  });

  it('other postcodes that span several municipalities: the locality narrows them', () => {
    expect(bfs('6020', 'Emmenbrücke')).toEqual([1024, 1054, 1061]);
    expect(bfs('6280', 'Hochdorf')[0]).toBe(1031);
    expect(bfs('6162', 'Finsterwald b. Entlebuch')).toEqual([1002, 1005]);
    expect(bfs('6162', 'Finsterwald bei Entlebuch')).toEqual([1002, 1005]);
    expect(bfs('6260', 'Hintermoos')).toEqual([1147, 1140]);
    expect(bfs('6260', 'Reidermoos')[0]).toBe(1140);
    expect(bfs('6166', 'Hasle')[0]).toBe(1005);
  });

  it('a locality the table does not know leaves every municipality of the postcode', () => {
    expect(bfs('6005', 'Lozärn')).toEqual([1058, 1061, 1059]);
    expect(bfs('6003', 'Luzern')).toEqual([1061]);
  });

  it('knows nothing outside the canton', () => {
    expect(bfs('8001', 'Zürich')).toEqual([]);
    expect(postcodes.municipalitiesFor('3000')).toEqual([]);
  });
});

describe('umzug: the new address classified with the real directory', () => {
  it('a Luzern resident moving to 6005 Luzern moves within Luzern (it went to Horw before)', () => {
    const moved = classifyMove('innerhalb', 1061, postcodes.candidatesFor('6005', 'Luzern'), false);
    expect(moved).toEqual({ kind: 'intra', newMunicipality: 1061, newMunicipalityAlternatives: ['Kriens', 'Horw'] });
    expect(classifyMove('innerhalb', 1061, postcodes.candidatesFor('6005', 'St. Niklausen'), false)).toMatchObject({ kind: 'inter', newMunicipality: 1058 });
  });
  it('a move-in to Kriens with a 6005 Luzern address is possible (7 % of those addresses lie in Kriens); to Emmen it is not', () => {
    expect(classifyMove('zuzug', 1059, postcodes.candidatesFor('6005', 'Luzern'), false)).toMatchObject({ kind: 'in', newMunicipality: 1059 });
    expect(() => classifyMove('zuzug', 1024, postcodes.candidatesFor('6005', 'Luzern'), false)).toThrow('nicht in der gewählten Gemeinde');
  });
});
