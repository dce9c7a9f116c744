/** The receipt after submitting: reference, time, checksums, next steps and the status link. */
import { Link, useParams } from 'react-router-dom';
import { readReceipt, statusPath } from '../cases/storage';
import { formatBytes, formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/i18n';
import { usePageTitle } from '../layout/Layout';

export function ReceiptPage() {
  const { reference = '' } = useParams();
  const { t } = useI18n();
  usePageTitle(t('receipt.title'));
  const receipt = readReceipt(reference);

  if (!receipt) {
    return (
      <>
        <h1>{t('receipt.title')}</h1>
        <p>{t('receipt.missing')}</p>
        <p>
          <Link to={statusPath(reference)}>{t('receipt.statusLink')}</Link>
        </p>
      </>
    );
  }
  const link = statusPath(receipt.reference, receipt.accessToken);
  const fullLink = `${location.origin}/portal${link}`;
  return (
    <>
      <div className="notice notice-success">
        <h1>{t('receipt.title')}</h1>
        <p>
          {t('receipt.reference')}: <strong data-testid="receipt-reference">{receipt.reference}</strong>
        </p>
      </div>

      <section aria-labelledby="receipt-proof" className="section">
        <h2 id="receipt-proof">{t('receipt.proof')}</h2>
        <p className="hint">{t('receipt.proofIntro')}</p>
        <dl className="receipt">
          <div>
            <dt>{t('receipt.service')}</dt>
            <dd>{receipt.serviceName}</dd>
          </div>
          <div>
            <dt>{t('receipt.reference')}</dt>
            <dd>{receipt.reference}</dd>
          </div>
          <div>
            <dt>{t('receipt.receivedAt')}</dt>
            <dd data-testid="receipt-time">{formatDateTime(receipt.receipt.receivedAt)}</dd>
          </div>
          <div>
            <dt>{t('receipt.dataHash')}</dt>
            <dd>
              <code className="hash" data-testid="receipt-data-hash">
                {receipt.receipt.dataSha256}
              </code>
            </dd>
          </div>
          {receipt.receipt.attachments.length > 0 && (
            <div>
              <dt>{t('receipt.attachments')}</dt>
              <dd>
                <ul className="plain">
                  {receipt.receipt.attachments.map((a) => (
                    <li key={a.sha256 + a.name} data-testid="receipt-attachment">
                      {a.name} ({formatBytes(a.size)}): <code className="hash">{a.sha256}</code>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
          <div>
            <dt>{t('receipt.signature')}</dt>
            <dd>
              <code className="hash">{receipt.receipt.signature}</code>
            </dd>
          </div>
        </dl>
        <button type="button" className="button secondary" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
      </section>

      <section aria-labelledby="receipt-next" className="section">
        <h2 id="receipt-next">{t('receipt.next')}</h2>
        <ol>
          <li>{t('receipt.next1')}</li>
          <li>{t('receipt.next2')}</li>
          <li>{t('receipt.next3')}</li>
        </ol>
        <p>
          <Link className="button" to={link} data-testid="status-link">
            {t('receipt.statusLink')}
          </Link>
        </p>
        <p className="hint">{t('receipt.accessCodeHint')}</p>
        <dl className="receipt">
          <div>
            <dt>{t('receipt.accessCode')}</dt>
            <dd>
              <code className="hash" data-testid="access-code">
                {receipt.accessToken}
              </code>
            </dd>
          </div>
          <div>
            <dt>{t('receipt.statusLink')}</dt>
            <dd>
              <code className="hash">{fullLink}</code>
            </dd>
          </div>
        </dl>
      </section>
    </>
  );
}
