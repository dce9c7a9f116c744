/**
 * The name a municipality issues its documents and invoices under: its title ("Stadt" or
 * "Gemeinde") and its name, the same on every certificate, decision, invoice and QR-bill
 * (issue 16: the certificate said "Stadt Luzern", the QR-bill creditor "Gemeinde Luzern").
 *
 * The Lucerne municipalities that carry the title "Stadt" name themselves so on their own sites:
 * Luzern (stadtluzern.ch), Kriens (kriens.ch, "Stadt Kriens" since 2021), Sursee (sursee.ch),
 * Sempach (sempach.ch) and Willisau (willisau.ch). Not checked against a legal list: the
 * Gemeindegesetz (SRL 150) does not define the title.
 */
export const TOWN_BFS_NUMBERS: ReadonlySet<number> = new Set([1059, 1061, 1102, 1103, 1151]);

/** "Stadt Luzern", "Gemeinde Emmen" */
export function municipalAuthorityName(m: { bfsNumber: number; name: string }): string {
  return `${TOWN_BFS_NUMBERS.has(m.bfsNumber) ? 'Stadt' : 'Gemeinde'} ${m.name}`;
}
