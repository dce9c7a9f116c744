/** German (Switzerland) by default, English switchable; the choice is remembered by react-admin's store. */
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { raGerman } from './ra-german';
import { de } from './de';
import { en } from './en';

const messages = {
  de: { ...raGerman, ...de },
  en: { ...englishMessages, ...en },
};

export const i18nProvider = polyglotI18nProvider(
  (locale) => (locale === 'en' ? messages.en : messages.de),
  'de',
  [
    { locale: 'de', name: 'Deutsch' },
    { locale: 'en', name: 'English' },
  ],
  { allowMissing: false },
);
