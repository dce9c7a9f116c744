/**
 * An answer to a clerk's question: text and, optionally, files (PDF, PNG, JPEG). With files the
 * reply goes as multipart (JSON part `reply` plus the files), without as JSON.
 */
import { useId, useState } from 'react';
import { api, ApiError, upload } from '../api/client';
import { formatDate } from '../i18n/format';
import { useI18n } from '../i18n/i18n';
import { ACCEPT, fileProblem, MAX_FILES } from '../service/attachments';

export function ReplyForm({ reference, request, token, onSent }: { reference: string; request: { id: string; message: string; requestedAt: string }; token?: string; onSent(): void }) {
  const { t } = useI18n();
  const id = useId();
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function send(e: React.FormEvent) {
    e.preventDefault();
    if (!message.trim()) {
      setError(t('errors.required'));
      document.getElementById(`${id}-message`)?.focus();
      return;
    }
    const bad = files.find((f) => fileProblem(f));
    if (bad) {
      setError(t(fileProblem(bad) === 'size' ? 'service.fileTooLarge' : 'service.fileType', { name: bad.name }));
      return;
    }
    setBusy(true);
    setError(undefined);
    const reply = { requestId: request.id, message: message.trim() };
    const path = `/api/v1/submissions/${encodeURIComponent(reference)}/replies`;
    try {
      if (files.length > 0) {
        const form = new FormData();
        form.append('reply', JSON.stringify(reply));
        for (const f of files) form.append('attachments', f, f.name);
        await upload(path, form, { token });
      } else {
        await api(path, { json: reply, token });
      }
      setMessage('');
      setFiles([]);
      onSent();
    } catch (err) {
      setError(err instanceof ApiError ? [err.message, ...err.errors.map((x) => x.message)].join(' ') : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card reply" onSubmit={send} noValidate aria-labelledby={`${id}-q`}>
      <h3 id={`${id}-q`}>{t('case.questionAsked', { date: formatDate(request.requestedAt) })}</h3>
      <blockquote>{request.message}</blockquote>
      {error && (
        <p role="alert" id={`${id}-error`} className="error-text">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-message`}>{t('case.answer')}</label>
        <textarea
          id={`${id}-message`}
          rows={4}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={5000}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-files`}>{t('case.answerFiles')}</label>
        <p className="hint" id={`${id}-files-hint`}>
          {t('service.attachmentsHint')}
        </p>
        <input id={`${id}-files`} type="file" multiple accept={ACCEPT} aria-describedby={`${id}-files-hint`} onChange={(e) => setFiles(Array.from(e.target.files ?? []).slice(0, MAX_FILES))} />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {t('case.send')}
      </button>
    </form>
  );
}
