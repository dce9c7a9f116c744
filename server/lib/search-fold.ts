/**
 * The form in which search text is stored and searched: lower case, ß as ss, the German umlauts
 * as their two-letter spelling (ä → ae, ö → oe, ü → ue) and other accents dropped (é → e). So
 * "Weiss" finds "Weiß" and "Mueller" finds "Müller" on SQLite and PostgreSQL alike, with a plain
 * LIKE on the stored text (SQLite's lower() and LIKE fold only ASCII).
 * migrations/20261202_015_live_inbox.ts keeps a frozen copy: change both or neither.
 */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}
