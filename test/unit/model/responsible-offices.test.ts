/** Which office decides (model/responsible-offices.ts): no invented cantonal Betreibungsamt, the tax office by the taxpayer's situation. */
import { describe, expect, it } from 'vitest';
import { responsibleOffice } from '../../../model/responsible-offices.js';

describe('responsible offices', () => {
  it('debt register: the Betreibungsamt of the municipality, or the regional one of Entlebuch', () => {
    expect(responsibleOffice('debt', 1061, {})).toBe('betreibungsamt:1061');
    expect(responsibleOffice('debt', 1024, {})).toBe('betreibungsamt:1024');
    for (const bfs of [1001, 1002, 1004, 1005, 1007, 1008, 1010]) expect(responsibleOffice('debt', bfs, {})).toBe('betreibungsamt:region-entlebuch');
  });

  it('tax-deadline extension: employed or non-earning persons (one choice in the form) at the municipal tax office, the self-employed at the canton', () => {
    expect(responsibleOffice('tax', 1024, { taxpayerType: 'employed' })).toBe('steueramt:1024');
    expect(responsibleOffice('tax', 1024, { taxpayerType: 'self_employed' })).toBe('canton:steuerverwaltung');
  });

  it('parking permit: Stadt Luzern’s Stadtraum und Veranstaltungen, nobody elsewhere', () => {
    expect(responsibleOffice('parking', 1061, {})).toBe('stadt-luzern:stadtraum-veranstaltungen');
    expect(responsibleOffice('parking', 1024, {})).toBeUndefined();
  });
});
