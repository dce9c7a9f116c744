/**
 * The error summary at the top of a form (GOV.UK / eCH-0059 pattern): focused when it appears,
 * every entry a link to its field.
 */
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';

export interface SummaryEntry {
  /** id of the field to focus; none for errors without a field */
  target?: string;
  label: string;
  message: string;
}

export function ErrorSummary({ entries, intro, focusKey }: { entries: SummaryEntry[]; intro?: string; focusKey: number }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (entries.length > 0) ref.current?.focus();
    // focusKey changes with every submit attempt: focus again even if the entries stay the same
  }, [focusKey, entries.length]);
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref}>
      <h2 id="error-summary-title">{t('errors.summary')}</h2>
      <p>{intro ?? t('errors.summaryIntro')}</p>
      <ul>
        {entries.map((e, i) => (
          <li key={i}>
            {e.target ? (
              <a
                href={`#${e.target}`}
                onClick={(ev) => {
                  const el = document.getElementById(e.target!);
                  if (el) {
                    ev.preventDefault();
                    el.focus();
                    el.scrollIntoView({ block: 'center' });
                  }
                }}
              >
                {e.label}: {e.message}
              </a>
            ) : (
              <span>
                {e.label}: {e.message}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
