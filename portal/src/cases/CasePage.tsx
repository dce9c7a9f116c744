/**
 * A case: status, timeline in plain language, documents (the electronic mailbox), open questions
 * with a reply form, withdrawal with a confirmation step. Access: the signed-in person's session,
 * or the anonymous access token from the link's fragment (#token=..., never sent to the server
 * as part of a URL) sent as `Authorization: Bearer`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, download } from '../api/client';
import type { CaseStatusView } from '../api/types';
import { formatChf, formatDate, formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage, Loading, usePageTitle } from '../layout/Layout';
import { signInUrl, useSession } from '../layout/session';
import { ReplyForm } from './ReplyForm';
import { isOpen, StatusBadge } from './status';
import { readToken, saveToken, tokenFromFragment } from './storage';

const REFRESH_MS = 4000;

export function CasePage() {
  const { reference = '' } = useParams();
  const { t } = useI18n();
  const { me } = useSession();
  const location = useLocation();
  usePageTitle(t('case.title', { reference }));
  const fragmentToken = tokenFromFragment(location.hash);
  const [token, setToken] = useState(() => fragmentToken ?? readToken(reference));
  const [view, setView] = useState<CaseStatusView>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    if (fragmentToken) {
      saveToken(reference, fragmentToken);
      // eslint-disable-next-line react-hooks/set-state-in-effect -- the token arrives in the URL fragment after the first render
      setToken(fragmentToken);
    }
  }, [reference, fragmentToken]);

  const canAsk = Boolean(token) || Boolean(me);
  const load = useCallback(() => {
    if (!token && !me) return;
    api<CaseStatusView>(`/api/v1/submissions/${encodeURIComponent(reference)}`, { token }).then((v) => {
      setView(v);
      setError(undefined);
    }, setError);
  }, [reference, token, me]);
  useEffect(load, [load]);

  // follow the case while something may still happen
  const open = view ? isOpen(view.status) : false;
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [open, load]);

  if (me === undefined && !token) return <Loading />;
  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 401);
  if (!canAsk || notFound) {
    return (
      <>
        <h1>{t('case.title', { reference })}</h1>
        {notFound && (
          <p role="alert" className="notice notice-error">
            {t('case.notFound')}
          </p>
        )}
        <AccessForm
          signedIn={Boolean(me)}
          onCode={(code) => {
            saveToken(reference, code);
            setError(undefined);
            setToken(code);
          }}
        />
      </>
    );
  }
  if (error !== undefined && !view) return <ErrorMessage error={error} onRetry={load} />;
  if (!view) return <Loading />;

  return (
    <>
      <h1>{t('case.title', { reference: view.reference })}</h1>
      <p className="lead">{view.service.name}</p>
      {notice && (
        <p role="status" className="notice notice-success">
          {notice}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>{t('case.status')}</dt>
          <dd>
            <StatusBadge status={view.status} />
          </dd>
        </div>
        <div>
          <dt>{t('case.submittedAt')}</dt>
          <dd>{formatDate(view.submittedAt)}</dd>
        </div>
        {view.fee && (
          <div>
            <dt>{t('case.fee')}</dt>
            <dd>
              {formatChf(view.fee.amount)} ({t(view.fee.status === 'paid' ? 'case.feePaid' : 'case.feeOpen')})
            </dd>
          </div>
        )}
      </dl>
      {open && <p className="hint">{t('case.autoRefresh')}</p>}

      {view.openRequests.length > 0 && (
        <section aria-labelledby="case-questions" className="section">
          <h2 id="case-questions">{t('case.questions')}</h2>
          {view.openRequests.map((r) => (
            <ReplyForm
              key={r.id}
              reference={view.reference}
              request={r}
              token={token}
              onSent={() => {
                setNotice(t('case.sent'));
                load();
              }}
            />
          ))}
        </section>
      )}

      <section aria-labelledby="case-documents" className="section">
        <h2 id="case-documents">{t('case.documents')}</h2>
        {view.documents.length === 0 ? (
          <p className="muted">{t('case.documentsEmpty')}</p>
        ) : (
          <ul className="plain documents" data-testid="documents">
            {view.documents.map((d) => (
              <li key={d.id}>
                <button type="button" className="link-button" onClick={() => void download(d.url, d.name, token).catch(setError)}>
                  {t('case.download', { name: d.name })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="case-timeline" className="section">
        <h2 id="case-timeline">{t('case.timeline')}</h2>
        <ol className="timeline" data-testid="timeline">
          {view.timeline.map((e, i) => (
            <li key={i}>
              <span className="timeline-date">{formatDateTime(e.at)}</span> <span>{e.label}</span>
            </li>
          ))}
        </ol>
      </section>

      {open && (
        <Withdrawal
          reference={view.reference}
          token={token}
          onDone={() => {
            setNotice(t('case.withdrawn'));
            load();
          }}
        />
      )}
    </>
  );
}

function AccessForm({ signedIn, onCode }: { signedIn: boolean; onCode(code: string): void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  return (
    <section aria-labelledby="access-title" className="section">
      <h2 id="access-title">{t('case.access')}</h2>
      <p>{t('case.accessIntro')}</p>
      {!signedIn && (
        <p>
          <a className="button" href={signInUrl()}>
            {t('nav.signIn')}
          </a>
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim()) onCode(code.trim());
        }}
      >
        <div className="field">
          <label htmlFor="access-code">{t('case.accessCode')}</label>
          <input id="access-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" spellCheck={false} />
        </div>
        <button type="submit" className="button secondary">
          {t('case.show')}
        </button>
      </form>
    </section>
  );
}

/** Withdrawal in two steps: the button opens a modal dialog that asks again. */
function Withdrawal({ reference, token, onDone }: { reference: string; token?: string; onDone(): void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const navigate = useNavigate();

  async function confirm() {
    setBusy(true);
    try {
      await api(`/api/v1/submissions/${encodeURIComponent(reference)}/withdrawal`, { method: 'POST', token });
      dialog.current?.close();
      onDone();
      navigate('.', { replace: true, preventScrollReset: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="case-withdraw" className="section">
      <h2 id="case-withdraw">{t('case.withdraw')}</h2>
      <button type="button" className="button danger" ref={opener} onClick={() => dialog.current?.showModal()}>
        {t('case.withdraw')}
      </button>
      <dialog ref={dialog} aria-labelledby="withdraw-title" aria-describedby="withdraw-text" className="dialog" onClose={() => opener.current?.focus()}>
        <h2 id="withdraw-title">{t('case.withdrawTitle')}</h2>
        <p id="withdraw-text">{t('case.withdrawText')}</p>
        {error !== undefined && <ErrorMessage error={error} />}
        <div className="actions">
          <button type="button" className="button danger" disabled={busy} onClick={() => void confirm()}>
            {t('case.withdrawConfirm')}
          </button>
          <button type="button" className="button secondary" onClick={() => dialog.current?.close()}>
            {t('case.cancel')}
          </button>
        </div>
      </dialog>
    </section>
  );
}
