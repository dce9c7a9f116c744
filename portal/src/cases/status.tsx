/** A case status in words, as a badge. */
import type { CaseStatus } from '../api/types';
import type { MessageKey } from '../i18n/de';
import { useI18n } from '../i18n/i18n';

export function StatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${status}`} data-testid="case-status">
      {t(`status.${status}` as MessageKey)}
    </span>
  );
}

export const isOpen = (status: CaseStatus) => status === 'received' || status === 'in_progress' || status === 'waiting_for_applicant';
