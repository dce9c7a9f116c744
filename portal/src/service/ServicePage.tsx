/** A service: what it is, then (signed in where required) the application form. */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { Municipality, ServiceDetail } from '../api/types';
import { ServiceFacts } from '../catalogue/CataloguePage';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage, Loading, NotFoundPage, usePageTitle } from '../layout/Layout';
import { signInUrl, useSession } from '../layout/session';
import { ApplicationForm } from './ApplicationForm';

export function ServicePage() {
  const { key = '' } = useParams();
  const { t } = useI18n();
  const { me } = useSession();
  const [service, setService] = useState<ServiceDetail>();
  const [municipalities, setMunicipalities] = useState<Municipality[]>();
  const [error, setError] = useState<unknown>();
  usePageTitle(service?.name ?? t('catalogue.title'));

  const load = () => {
    setError(undefined);
    Promise.all([api<ServiceDetail>(`/api/v1/services/${encodeURIComponent(key)}`), api<Municipality[]>('/api/v1/municipalities')]).then(([s, m]) => {
      setService(s);
      setMunicipalities(m);
    }, setError);
  };
  // eslint-disable-next-line react-hooks/set-state-in-effect -- load() fetches from the API; it only resets the previous error synchronously
  useEffect(load, [key]);

  if (error instanceof ApiError && error.status === 404) return <NotFoundPage />;
  if (error !== undefined) return <ErrorMessage error={error} onRetry={load} />;
  if (!service || !municipalities || me === undefined) return <Loading />;

  const needsSignIn = (service.identity ?? 'none') !== 'none' && !me;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">{t('nav.catalogue')}</Link>
      </p>
      <h1>{service.name}</h1>
      <p className="lead">{service.description}</p>
      <section aria-labelledby="facts-title" className="section">
        <h2 id="facts-title" className="visually-hidden">
          {t('service.facts')}
        </h2>
        <ServiceFacts service={service} />
      </section>
      {needsSignIn ? (
        <div className="notice" data-testid="sign-in-needed">
          <p>{t(service.identity === 'verified' ? 'service.verifiedNeeded' : 'service.signInNeeded')}</p>
          <a className="button" href={signInUrl()}>
            {t('nav.signIn')}
          </a>
        </div>
      ) : (
        <ApplicationForm service={service} municipalities={municipalities} me={me} />
      )}
    </>
  );
}
