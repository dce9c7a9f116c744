/**
 * Which office decides a case (issue 16, DESIGN.md §9), as data with its source. The submission
 * names the municipality; the service's `service.office` property says which of its offices
 * decides, and this module maps both to an organisation (migrations/seeds/reference.ts creates them).
 */

/** The Betreibungsämter (debt enforcement offices). */
export const DEBT_OFFICE = {
  /**
   * "Jede Einwohnergemeinde bildet einen Betreibungskreis. Zwei oder mehrere Einwohnergemeinden
   * können sich mit Genehmigung des Regierungsrats zu einem Betreibungskreis zusammenschliessen."
   * (https://gerichte.lu.ch/organisation/betreibungsaemter; EGSchKG SRL 290 § 1). So there is no
   * cantonal "Betreibungsamt Luzern": the office of the subject's domicile decides.
   */
  ofMunicipality: (bfsNumber: number) => `betreibungsamt:${bfsNumber}`,
  /**
   * Regional offices by agreement. The only one we found a public source for: the Entlebuch
   * municipalities Doppleschwand, Entlebuch, Escholzmatt-Marbach, Flühli, Hasle, Romoos and
   * Schüpfheim joined their offices on 1 January 2021 (Luzerner Zeitung, "Ab 2021 soll es im
   * Entlebuch nur noch ein Betreibungsamt geben"; the article reports the plan before the
   * Regierungsrat's approval, which we could NOT verify). The full list on gerichte.lu.ch could not
   * be read; other regional offices are missing here.
   */
  regions: [{ id: 'betreibungsamt:region-entlebuch', name: 'Regionales Betreibungsamt Entlebuch', municipalities: [1001, 1002, 1010, 1004, 1005, 1007, 1008] }],
} as const;

/**
 * Tax offices. For employed and non-earning persons the municipality's tax office (Steueramt) is
 * the assessing authority and decides on deadline extensions; for the self-employed the cantonal
 * Dienststelle Steuern (steuern.lu.ch, "Unselbständigerwerbende", as summarised in DESIGN.md §9;
 * the page itself could not be read here). Regional tax offices shared by several municipalities
 * are not modelled (no source found): every municipality has its own here.
 */
export const TAX_OFFICE = {
  canton: 'canton:steuerverwaltung',
  ofMunicipality: (bfsNumber: number) => `steueramt:${bfsNumber}`,
} as const;

/**
 * Residents' parking permits of Stadt Luzern are issued by its Dienstabteilung Stadtraum und
 * Veranstaltungen (STAV), Winkelriedstrasse 12a, 6002 Luzern, under the Parkkartenreglement of
 * 1 July 2015 (stadtluzern.ch, "Dauerparkieren auf öffentlichem Grund" and "Parkkarte für
 * Anwohner/innen"), not by the Einwohnerdienste.
 */
export const PARKING_OFFICE = { id: 'stadt-luzern:stadtraum-veranstaltungen', name: 'Stadt Luzern, Stadtraum und Veranstaltungen', bfsNumber: 1061 } as const;

export type OfficeKind = 'debt' | 'tax' | 'parking';
export const OFFICE_KINDS: readonly OfficeKind[] = ['debt', 'tax', 'parking'];

/** The organisation of the office of `kind` responsible for a case in `bfsNumber` with start-form `data`. */
export function responsibleOffice(kind: OfficeKind, bfsNumber: number, data: Record<string, unknown>): string | undefined {
  switch (kind) {
    case 'debt':
      return DEBT_OFFICE.regions.find((r) => (r.municipalities as readonly number[]).includes(bfsNumber))?.id ?? DEBT_OFFICE.ofMunicipality(bfsNumber);
    case 'tax':
      return data.taxpayerType === 'self_employed' ? TAX_OFFICE.canton : TAX_OFFICE.ofMunicipality(bfsNumber);
    case 'parking':
      // only Stadt Luzern offers the permit; elsewhere the process declines it (NOT_OFFERED)
      return bfsNumber === PARKING_OFFICE.bfsNumber ? PARKING_OFFICE.id : undefined;
  }
}
