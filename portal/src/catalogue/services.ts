/** Presenting a catalogue entry: authority, fee, processing time, identity level, category. */
import type { Service } from '../api/types';
import type { MessageKey } from '../i18n/de';
import type { Translate } from '../i18n/i18n';
import { formatChf } from '../i18n/format';

export const CATEGORY_ORDER = ['wohnen', 'tiere', 'verkehr', 'steuern', 'betreibung'];

/** Words a resident may search for that the service texts do not contain (life situations). */
const CATEGORY_KEYWORDS: Record<string, string> = {
  wohnen: 'Wohnung Wohnsitz Adresse Umzug Zuzug Wegzug Anmeldung Einwohner',
  tiere: 'Hund Haustier Hundesteuer',
  verkehr: 'Auto Fahrzeug Parkplatz Parkieren Strasse Quartier blaue Zone',
  steuern: 'Steuererklärung Frist Verlängerung',
  betreibung: 'Betreibung Schulden Auszug Konkurs',
};

export function categoryOf(s: Service): string {
  return s.category && CATEGORY_ORDER.includes(s.category) ? s.category : 'other';
}

export function categoryLabel(t: Translate, category: string): string {
  return t(`category.${category}` as MessageKey);
}

export function searchText(t: Translate, s: Service): string {
  const category = categoryOf(s);
  return [s.name, s.description, categoryLabel(t, category), CATEGORY_KEYWORDS[category] ?? '', s.key].join(' ');
}

export function feeText(t: Translate, s: Service): string {
  return s.fee ? formatChf(s.fee.amount) : t('fee.none');
}

export function durationText(t: Translate, s: Service): string {
  if (!s.targetDays) return t('duration.unknown');
  return s.targetDays === 1 ? t('duration.oneDay') : t('duration.days', { days: s.targetDays });
}

export function identityText(t: Translate, s: Service): string {
  return t(`identity.${s.identity ?? 'none'}` as MessageKey);
}

export function authorityText(t: Translate, s: Service): string {
  return t(s.authority === 'canton' ? 'authority.canton' : 'authority.municipality');
}
