/**
 * Where the sign-in callback sends a browser when signing in failed (cancelled at the provider,
 * a stale or reused state, a refusal): explains it instead of showing the API's problem+json.
 */
import { Link, useSearchParams } from 'react-router-dom';
import { useI18n } from '../i18n/i18n';
import { usePageTitle } from '../layout/Layout';
import { signInUrl } from '../layout/session';

const reasons = ['abgebrochen', 'abgelaufen', 'abgelehnt'] as const;
type Reason = (typeof reasons)[number];

export function SignInProblemPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const given = params.get('fehler');
  // an unknown code (a hand-edited URL) reads like a refusal
  const reason: Reason = reasons.find((r) => r === given) ?? 'abgelehnt';
  usePageTitle(t('signInProblem.title'));
  return (
    <div className="notice notice-error" data-testid="sign-in-problem">
      <h1>{t('signInProblem.title')}</h1>
      <p>{t(`signInProblem.${reason}`)}</p>
      <p>{t('signInProblem.next')}</p>
      <p className="actions">
        <a className="button" href={signInUrl('/portal/')}>
          {t('signInProblem.retry')}
        </a>
        <Link className="button secondary" to="/">
          {t('signInProblem.home')}
        </Link>
      </p>
    </div>
  );
}
