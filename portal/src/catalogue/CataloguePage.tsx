/** The catalogue: every service, grouped by life situation, with search as you type. */
import { useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { Service } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage, Loading, usePageTitle } from '../layout/Layout';
import { matches } from './search';
import { authorityText, CATEGORY_ORDER, categoryLabel, categoryOf, durationText, feeText, identityText, searchText } from './services';

export function CataloguePage() {
  const { t } = useI18n();
  usePageTitle(t('catalogue.title'));
  const [services, setServices] = useState<Service[]>();
  const [error, setError] = useState<unknown>();
  const [query, setQuery] = useState('');
  const hintId = useId();

  const load = () => {
    setError(undefined);
    api<Service[]>('/api/v1/services').then(setServices, setError);
  };
  // eslint-disable-next-line react-hooks/set-state-in-effect -- load() fetches from the API; it only resets the previous error synchronously
  useEffect(load, []);

  const groups = useMemo(() => {
    const found = (services ?? []).filter((s) => matches(query, searchText(t, s)));
    const order = [...CATEGORY_ORDER, 'other'];
    return order.map((category) => ({ category, items: found.filter((s) => categoryOf(s) === category).sort((a, b) => a.name.localeCompare(b.name, 'de')) })).filter((g) => g.items.length > 0);
  }, [services, query, t]);
  const count = groups.reduce((n, g) => n + g.items.length, 0);

  return (
    <>
      <h1>{t('catalogue.title')}</h1>
      <p className="lead">{t('catalogue.intro')}</p>
      <div role="search" className="search">
        <label htmlFor="catalogue-search">{t('catalogue.search')}</label>
        <input id="catalogue-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} aria-describedby={hintId} autoComplete="off" />
        <p id={hintId} className="hint">
          {t('catalogue.searchHint')}
        </p>
      </div>
      {error !== undefined && <ErrorMessage error={error} onRetry={load} />}
      {!services && error === undefined && <Loading />}
      {services && (
        <>
          <p role="status" className="muted" data-testid="catalogue-count">
            {count === 0 ? t('catalogue.none', { q: query }) : count === 1 ? t('catalogue.countOne') : t('catalogue.count', { count })}
          </p>
          {groups.map((g) => (
            <section key={g.category} aria-labelledby={`cat-${g.category}`} className="category">
              <h2 id={`cat-${g.category}`}>{categoryLabel(t, g.category)}</h2>
              <ul className="cards">
                {g.items.map((s) => (
                  <ServiceCard key={s.key} service={s} />
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </>
  );
}

function ServiceCard({ service: s }: { service: Service }) {
  return (
    <li className="card" data-testid={`service-${s.key}`}>
      <h3>
        <Link to={`/dienstleistungen/${s.key}`}>{s.name}</Link>
      </h3>
      <p>{s.description}</p>
      <ServiceFacts service={s} />
    </li>
  );
}

export function ServiceFacts({ service: s }: { service: Service }) {
  const { t } = useI18n();
  return (
    <dl className="facts">
      <div>
        <dt>{t('catalogue.authority')}</dt>
        <dd>{authorityText(t, s)}</dd>
      </div>
      <div>
        <dt>{t('catalogue.fee')}</dt>
        <dd>{feeText(t, s)}</dd>
      </div>
      <div>
        <dt>{t('catalogue.duration')}</dt>
        <dd>{durationText(t, s)}</dd>
      </div>
      <div>
        <dt>{t('catalogue.identity')}</dt>
        <dd>{identityText(t, s)}</dd>
      </div>
    </dl>
  );
}
