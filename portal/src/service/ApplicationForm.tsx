/**
 * The application: the service's own start form (form-js, lazy), the applicant, the municipality
 * and attachments; sent as multipart with upload progress. The server's 422 field errors come
 * back into the summary and beside the fields.
 */
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, upload } from '../api/client';
import type { FormComponent, Me, Municipality, Receipt, ServiceDetail } from '../api/types';
import { saveReceipt } from '../cases/storage';
import { formatBytes, formatDate, parseSwissDate } from '../i18n/format';
import { useI18n, type Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/de';
import { ErrorSummary, type SummaryEntry } from '../layout/ErrorSummary';
import { Field } from '../layout/Field';
import { signInUrl } from '../layout/session';
import { ACCEPT, fileProblem, MAX_FILES } from './attachments';
import type { FormJsHandle } from './FormJs';
import { municipalityChoice } from './municipality';

const FormJs = lazy(() => import('./FormJs'));

type ApplicantField = 'firstName' | 'lastName' | 'dateOfBirth' | 'email' | 'street' | 'houseNumber' | 'postalCode' | 'town';
type Applicant = Record<ApplicantField, string>;

/** The DOM id of each applicant field = the server's error path with dots as dashes. */
const fieldIds: Record<ApplicantField, string> = {
  firstName: 'applicant-firstName',
  lastName: 'applicant-lastName',
  dateOfBirth: 'applicant-dateOfBirth',
  email: 'applicant-email',
  street: 'applicant-address-street',
  houseNumber: 'applicant-address-houseNumber',
  postalCode: 'applicant-address-postalCode',
  town: 'applicant-address-town',
};
const fieldLabels: Record<ApplicantField, MessageKey> = {
  firstName: 'service.firstName',
  lastName: 'service.lastName',
  dateOfBirth: 'service.dateOfBirth',
  email: 'service.email',
  street: 'service.street',
  houseNumber: 'service.houseNumber',
  postalCode: 'service.postalCode',
  town: 'service.town',
};

function flatten(components: FormComponent[] = []): FormComponent[] {
  return components.flatMap((c) => [c, ...flatten(c.components)]);
}

/** The form-js input of a component (its DOM id ends with the component id). */
function formJsTarget(componentId: string): string | undefined {
  const el = document.querySelector<HTMLElement>(`.formjs [id$="${CSS.escape(componentId)}"]`);
  return el?.id;
}

function localErrors(t: Translate, a: Applicant, municipality: number | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of Object.keys(fieldIds) as ApplicantField[]) {
    if (!a[f].trim()) errors[fieldIds[f]] = t('errors.required');
  }
  if (a.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email.trim())) errors[fieldIds.email] = t('errors.email');
  if (a.postalCode.trim() && !/^\d{4}$/.test(a.postalCode.trim())) errors[fieldIds.postalCode] = t('errors.postalCode');
  const birth = parseSwissDate(a.dateOfBirth);
  if (a.dateOfBirth.trim() && !birth) errors[fieldIds.dateOfBirth] = t('errors.dateFormat');
  else if (birth && birth >= new Date().toISOString().slice(0, 10)) errors[fieldIds.dateOfBirth] = t('errors.dateOfBirth');
  if (municipality === undefined) errors.municipality = t('errors.municipality');
  return errors;
}

/** form-js validates in English; the portal speaks the resident's language. */
function germanFormJsErrors(t: Translate, errors: Record<string, string[]>): Record<string, string[]> {
  const known: Array<[RegExp, MessageKey]> = [
    [/is required/i, 'errors.required'],
    [/pattern|match/i, 'errors.pattern'],
    [/at least|at most|minimum|maximum|characters|value/i, 'errors.range'],
  ];
  return Object.fromEntries(Object.entries(errors).map(([id, messages]) => [id, messages.map((m) => t(known.find(([re]) => re.test(m))?.[1] ?? 'errors.formField'))]));
}

export function ApplicationForm({ service, municipalities, me }: { service: ServiceDetail; municipalities: Municipality[]; me: Me | null }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const formJs = useRef<FormJsHandle>(null);
  const [applicant, setApplicant] = useState<Applicant>({
    firstName: me?.givenName ?? '',
    lastName: me?.familyName ?? '',
    dateOfBirth: me?.birthDate ? formatDate(me.birthDate) : '',
    email: '',
    street: '',
    houseNumber: '',
    postalCode: '',
    town: '',
  });
  const [picked, setPicked] = useState<number>();
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<SummaryEntry[]>([]);
  const [summaryKey, setSummaryKey] = useState(0);
  const [progress, setProgress] = useState<number>();
  const [submitting, setSubmitting] = useState(false);

  const components = useMemo(() => flatten(service.form.components), [service.form]);
  // the server's candidates when it refused the municipality (e.g. a dog kept in another municipality than the owner's)
  const [serverCandidates, setServerCandidates] = useState<Municipality[]>();
  const byAddress = useMemo(() => municipalityChoice(municipalities, applicant.postalCode, applicant.town), [municipalities, applicant.postalCode, applicant.town]);
  const choice = serverCandidates ? { candidates: serverCandidates, chosen: undefined } : byAddress;
  const pickable = choice.chosen ? [] : choice.candidates.length > 0 ? choice.candidates : /^\d{4}$/.test(applicant.postalCode.trim()) ? municipalities : [];
  const municipality = choice.chosen?.bfsNumber ?? (pickable.some((m) => m.bfsNumber === picked) ? picked : undefined);
  const locked = Boolean(me);

  /** The props every applicant field shares (all of them are required). */
  const field = (f: ApplicantField) => ({
    id: fieldIds[f],
    label: t(fieldLabels[f]),
    value: applicant[f],
    onChange: (value: string) => {
      setApplicant((a) => ({ ...a, [f]: value }));
      if (f === 'postalCode' || f === 'town') setServerCandidates(undefined);
      setErrors(({ [fieldIds[f]]: _, ...rest }) => rest);
    },
    error: errors[fieldIds[f]],
    required: true,
  });
  const labelOfPath = (path: string): { label: string; target?: string } => {
    const applicantField = (Object.keys(fieldIds) as ApplicantField[]).find((f) => fieldIds[f] === path.replace(/\./g, '-'));
    if (applicantField) return { label: t(fieldLabels[applicantField]), target: fieldIds[applicantField] };
    if (path === 'municipality') return { label: t('service.municipality'), target: 'municipality' };
    if (path.startsWith('attachments')) return { label: t('service.attachmentsSection'), target: 'attachments' };
    const key = path.replace(/^data\./, '').split(/[.[]/)[0];
    const c = components.find((x) => x.key === key);
    return { label: c?.label ?? path, target: c?.id ? formJsTarget(c.id) : undefined };
  };

  function showProblems(fieldErrors: Record<string, string>, formJsErrors: Record<string, string[]>, extra: SummaryEntry[] = []) {
    setErrors(fieldErrors);
    const entries: SummaryEntry[] = [...extra];
    for (const [target, message] of Object.entries(fieldErrors)) {
      entries.push({ target, label: labelOfPath(target).label, message });
    }
    for (const [id, messages] of Object.entries(formJsErrors)) {
      const c = components.find((x) => x.id === id);
      entries.push({ target: formJsTarget(id), label: c?.label ?? id, message: messages.join(' ') || t('errors.formField') });
    }
    setSummary(entries);
    setSummaryKey((k) => k + 1);
  }

  function serverProblems(err: ApiError) {
    const fieldErrors: Record<string, string> = {};
    const formJsErrors: Record<string, string[]> = {};
    const extra: SummaryEntry[] = [];
    const offered = err.errors.find((e) => e.path === 'municipality' && e.candidates?.length)?.candidates;
    if (offered) setServerCandidates(municipalities.filter((m) => offered.some((c) => c.bfsNumber === m.bfsNumber)));
    for (const e of err.errors) {
      const where = labelOfPath(e.path);
      if (e.path.startsWith('data.')) {
        const c = components.find((x) => x.key === e.path.slice(5).split(/[.[]/)[0]);
        if (c?.id) (formJsErrors[c.id] ??= []).push(e.message);
        else extra.push({ label: where.label, message: e.message });
      } else if (where.target) fieldErrors[where.target] = e.message;
      else extra.push({ label: where.label, message: e.message });
    }
    if (err.errors.length === 0) extra.push({ label: err.title, message: err.message });
    formJs.current?.showErrors(formJsErrors);
    showProblems(fieldErrors, formJsErrors, extra);
  }

  function addFiles(list: FileList | null) {
    if (!list) return;
    const problems: string[] = [];
    const accepted = [...files];
    for (const file of Array.from(list)) {
      const problem = fileProblem(file);
      if (problem) problems.push(t(problem === 'size' ? 'service.fileTooLarge' : 'service.fileType', { name: file.name }));
      else if (accepted.length >= MAX_FILES) problems.push(t('service.tooManyFiles'));
      else accepted.push(file);
    }
    setFiles(accepted);
    setErrors(({ attachments: _, ...rest }) => (problems.length ? { ...rest, attachments: [...new Set(problems)].join(' ') } : rest));
  }

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (submitting) return;
    const result = formJs.current?.submit() ?? { data: {}, errors: {} };
    const local = localErrors(t, applicant, municipality);
    if (Object.keys(local).length > 0 || Object.keys(result.errors).length > 0) {
      const formJsErrors = germanFormJsErrors(t, result.errors);
      formJs.current?.showErrors(formJsErrors);
      showProblems(local, formJsErrors);
      return;
    }
    const body = {
      municipality,
      applicant: {
        firstName: applicant.firstName.trim(),
        lastName: applicant.lastName.trim(),
        dateOfBirth: parseSwissDate(applicant.dateOfBirth),
        email: applicant.email.trim(),
        address: { street: applicant.street.trim(), houseNumber: applicant.houseNumber.trim(), postalCode: applicant.postalCode.trim(), town: applicant.town.trim() },
      },
      data: result.data,
    };
    const form = new FormData();
    form.append('submission', JSON.stringify(body));
    for (const file of files) form.append('attachments', file, file.name);
    setSubmitting(true);
    setProgress(0);
    try {
      const receipt = await upload<Receipt>(`/api/v1/services/${encodeURIComponent(service.key)}/submissions`, form, { onProgress: setProgress });
      saveReceipt({ ...receipt, serviceName: service.name });
      navigate(`/quittung/${encodeURIComponent(receipt.reference)}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 401) showProblems({}, {}, [{ label: t('nav.signIn'), message: t('errors.signIn') }]);
      else if (err.status === 0) showProblems({}, {}, [{ label: err.title, message: t('errors.network') }]);
      else serverProblems(err);
    } finally {
      setSubmitting(false);
      setProgress(undefined);
    }
  }

  const needsSignInAgain = summary.some((s) => s.message === t('errors.signIn'));
  return (
    <form noValidate onSubmit={onSubmit} className="application" aria-label={service.name}>
      <ErrorSummary entries={summary} focusKey={summaryKey} />
      {needsSignInAgain && (
        <p>
          <a className="button" href={signInUrl()}>
            {t('nav.signIn')}
          </a>
        </p>
      )}

      <fieldset className="section">
        <legend>
          <h2>{t('service.formSection')}</h2>
        </legend>
        <Suspense fallback={<p className="muted">{t('service.formLoading')}</p>}>
          <FormJs ref={formJs} schema={service.form} />
        </Suspense>
      </fieldset>

      <fieldset className="section">
        <legend>
          <h2>{t('service.applicantSection')}</h2>
        </legend>
        {locked && <p className="hint">{t('service.fromIdentity')}</p>}
        <div className="grid-2">
          <Field {...field('firstName')} readOnly={locked} autoComplete="given-name" />
          <Field {...field('lastName')} readOnly={locked} autoComplete="family-name" />
          <Field {...field('dateOfBirth')} hint={t('service.dateHint')} inputMode="numeric" readOnly={locked} autoComplete="bday" />
          <Field {...field('email')} type="email" hint={t('service.emailHint')} autoComplete="email" />
          <Field {...field('street')} autoComplete="address-line1" />
          <Field {...field('houseNumber')} className="narrow" />
          <Field {...field('postalCode')} inputMode="numeric" maxLength={4} autoComplete="postal-code" className="narrow" />
          <Field {...field('town')} autoComplete="address-level2" />
        </div>
      </fieldset>

      <fieldset className="section" aria-describedby="municipality-hint">
        <legend>
          <h2>{t('service.municipalitySection')}</h2>
        </legend>
        <p id="municipality-hint" className="hint">
          {t('service.municipalityHint')}
        </p>
        <div aria-live="polite">
          {choice.chosen && (
            <p className="chosen" data-testid="municipality-chosen" id="municipality" tabIndex={-1}>
              {t('service.municipalityChosen', { name: choice.chosen.name })}
            </p>
          )}
          {pickable.length > 0 && (
            <div className={`field${errors.municipality ? ' field-error' : ''}`}>
              <p id="municipality-why" className="hint">
                {choice.candidates.length > 1 ? t('service.municipalityChoose', { postalCode: applicant.postalCode.trim() }) : t('service.municipalityNone')}
              </p>
              <label htmlFor="municipality">{t('service.municipality')}</label>
              {errors.municipality && (
                <p id="municipality-error" className="error-text">
                  {errors.municipality}
                </p>
              )}
              <select
                id="municipality"
                value={municipality ?? ''}
                onChange={(e) => {
                  setPicked(e.target.value ? Number(e.target.value) : undefined);
                  setErrors(({ municipality: _, ...rest }) => rest);
                }}
                aria-invalid={errors.municipality ? true : undefined}
                aria-describedby={`municipality-why${errors.municipality ? ' municipality-error' : ''}`}
                required
              >
                <option value="">{t('service.municipalityPlaceholder')}</option>
                {pickable.map((m) => (
                  <option key={m.bfsNumber} value={m.bfsNumber}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {!choice.chosen && pickable.length === 0 && errors.municipality && (
            <p className="error-text" id="municipality" tabIndex={-1}>
              {errors.municipality}
            </p>
          )}
        </div>
      </fieldset>

      <fieldset className="section">
        <legend>
          <h2>{t('service.attachmentsSection')}</h2>
        </legend>
        <div className={`field${errors.attachments ? ' field-error' : ''}`}>
          <label htmlFor="attachments">
            {t('service.attachments')} <span className="muted">({t('common.optional')})</span>
          </label>
          <p id="attachments-hint" className="hint">
            {t('service.attachmentsHint')}
          </p>
          {errors.attachments && (
            <p id="attachments-error" className="error-text">
              {errors.attachments}
            </p>
          )}
          <input
            id="attachments"
            type="file"
            multiple
            accept={ACCEPT}
            aria-describedby={`attachments-hint${errors.attachments ? ' attachments-error' : ''}`}
            onChange={(e) => {
              addFiles(e.target.files);
              e.target.value = ''; // the same file may be chosen again after removing it
            }}
          />
        </div>
        {files.length > 0 && (
          <ul className="file-list" data-testid="file-list">
            {files.map((f, i) => (
              <li key={`${f.name}-${i}`}>
                <span className="file-name">{f.name}</span> <span className="muted">({formatBytes(f.size)})</span>{' '}
                <button type="button" className="link-button" aria-label={t('service.removeFile', { name: f.name })} onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                  {t('service.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      {progress !== undefined && (
        <p>
          <label htmlFor="upload-progress">{t('service.progress')}</label>{' '}
          <progress id="upload-progress" max={1} value={progress}>
            {Math.round(progress * 100)} %
          </progress>{' '}
          <span aria-live="polite">{Math.round(progress * 100)} %</span>
        </p>
      )}
      <button type="submit" className="button" disabled={submitting}>
        {submitting ? t('service.submitting') : t('service.submit')}
      </button>
    </form>
  );
}
