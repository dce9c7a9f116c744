/** Meine Gesuche: every case of the signed-in person at every authority, newest first, paged. */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { apiPage, ApiError } from '../api/client';
import type { MySubmission } from '../api/types';
import { formatDate } from '../i18n/format';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage, Loading, usePageTitle } from '../layout/Layout';
import { signInUrl, useSession } from '../layout/session';
import { StatusBadge } from './status';

const PAGE_SIZE = 10;

export function MyCasesPage() {
  const { t } = useI18n();
  const { me } = useSession();
  usePageTitle(t('cases.title'));
  const [params, setParams] = useSearchParams();
  const page = Math.max(0, Number(params.get('seite') ?? '1') - 1 || 0);
  const [data, setData] = useState<{ items: MySubmission[]; total: number }>();
  const [error, setError] = useState<unknown>();

  const load = () => {
    if (!me) return;
    setError(undefined);
    const from = page * PAGE_SIZE;
    apiPage<MySubmission>(`/api/v1/me/submissions?range=${encodeURIComponent(JSON.stringify([from, from + PAGE_SIZE - 1]))}`).then(setData, setError);
  };
  // eslint-disable-next-line react-hooks/set-state-in-effect -- load() fetches from the API; it only resets the previous error synchronously
  useEffect(load, [me, page]);

  if (me === undefined) return <Loading />;
  if (me === null || (error instanceof ApiError && error.status === 401)) {
    return (
      <>
        <h1>{t('cases.title')}</h1>
        <p>{t('cases.signIn')}</p>
        <a className="button" href={signInUrl()}>
          {t('nav.signIn')}
        </a>
      </>
    );
  }
  const from = page * PAGE_SIZE;
  const lastPage = data ? Math.max(0, Math.ceil(data.total / PAGE_SIZE) - 1) : 0;
  return (
    <>
      <h1>{t('cases.title')}</h1>
      <p className="lead">{t('cases.intro')}</p>
      {error !== undefined && <ErrorMessage error={error} onRetry={load} />}
      {!data && error === undefined && <Loading />}
      {data && data.items.length === 0 && <p>{t('cases.empty')}</p>}
      {data && data.items.length > 0 && (
        <>
          <ul className="case-list" data-testid="my-cases">
            {data.items.map((c) => (
              <li key={c.reference} className="card">
                <h2 className="h3">
                  <Link to={`/gesuche/${encodeURIComponent(c.reference)}`}>{c.serviceName}</Link>
                </h2>
                <dl className="facts">
                  <div>
                    <dt>{t('cases.reference')}</dt>
                    <dd>{c.reference}</dd>
                  </div>
                  <div>
                    <dt>{t('cases.authority')}</dt>
                    <dd>{c.authority?.name}</dd>
                  </div>
                  <div>
                    <dt>{t('cases.status')}</dt>
                    <dd>
                      <StatusBadge status={c.status} />
                    </dd>
                  </div>
                  <div>
                    <dt>{t('cases.submittedAt')}</dt>
                    <dd>{formatDate(c.submittedAt)}</dd>
                  </div>
                  <div>
                    <dt>{t('cases.updatedAt')}</dt>
                    <dd>{formatDate(c.updatedAt)}</dd>
                  </div>
                </dl>
              </li>
            ))}
          </ul>
          <nav aria-label={t('cases.pages')} className="pager">
            <p role="status">{t('cases.range', { from: from + 1, to: from + data.items.length, total: data.total })}</p>
            {page > 0 && (
              <button type="button" className="button secondary" onClick={() => setParams({ seite: String(page) })}>
                {t('cases.previous')}
              </button>
            )}
            {page < lastPage && (
              <button type="button" className="button secondary" onClick={() => setParams({ seite: String(page + 2) })}>
                {t('cases.next')}
              </button>
            )}
          </nav>
        </>
      )}
    </>
  );
}
