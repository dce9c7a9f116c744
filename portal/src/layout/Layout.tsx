/** The page frame: skip link, header with navigation, language and sign-in, main, footer. */
import { useEffect } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n/i18n';
import { signInUrl, useSession } from './session';

export function Layout() {
  const { t, lang, setLang } = useI18n();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();

  useEffect(() => {
    // a new page: start reading at the top, as after a full page load
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="site-header">
        <div className="wrap header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span>
              <span className="brand-canton">{t('app.canton')}</span>
              <span className="brand-title">{t('app.title')}</span>
            </span>
          </Link>
          <div className="header-tools">
            <button type="button" className="link-button" lang={lang === 'de' ? 'en' : 'de-CH'} aria-label={t('nav.languageLabel')} onClick={() => setLang(lang === 'de' ? 'en' : 'de')}>
              {t('nav.language')}
            </button>
            {me ? (
              <>
                <span className="signed-in">{t('nav.signedInAs', { name: `${me.givenName} ${me.familyName}` })}</span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    void signOut().then(() => navigate('/'));
                  }}
                >
                  {t('nav.signOut')}
                </button>
              </>
            ) : me === null ? (
              <a className="link-button" href={signInUrl()}>
                {t('nav.signIn')}
              </a>
            ) : null}
          </div>
        </div>
        <nav aria-label={t('nav.label')} className="main-nav">
          <ul className="wrap">
            <li>
              <NavLink to="/" end>
                {t('nav.catalogue')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/gesuche" end>
                {t('nav.myCases')}
              </NavLink>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="wrap">
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="wrap">{t('app.footer')}</div>
      </footer>
    </>
  );
}

/** Sets the document title (WCAG 2.4.2). */
export function usePageTitle(title: string): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t('app.title')} · ${t('app.canton')}`;
  }, [title, t]);
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="muted">
      {t('common.loading')}
    </p>
  );
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="notice notice-error">
      <p>{t('common.error', { detail })}</p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('notFound.title'));
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('common.back')}</Link>
      </p>
    </>
  );
}
