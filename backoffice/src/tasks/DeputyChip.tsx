/** "Stellvertretung für …": the assignee stands in for an absent colleague (domain/absences.ts). */
import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

export function DeputyChip({ task }: { task: { deputyFor?: string | null; deputyForName?: string | null } }) {
  const translate = useTranslate();
  if (!task.deputyFor) return null;
  return <Chip size="small" color="info" variant="outlined" sx={{ mt: 0.5 }} label={translate('app.absences.deputy_for', { name: task.deputyForName ?? task.deputyFor })} data-testid="deputy-chip" />;
}
