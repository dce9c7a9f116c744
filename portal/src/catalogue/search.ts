/** Search that forgives umlauts and ß: "strasse", "straße" and "Strasse" all match each other. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // é → e and other accents
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every word of the query must occur somewhere in the haystack. */
export function matches(query: string, haystack: string): boolean {
  const words = normalise(query).split(' ').filter(Boolean);
  const text = normalise(haystack);
  return words.every((w) => text.includes(w));
}
