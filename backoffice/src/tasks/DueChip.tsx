import { Chip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { dueState, formatDate } from '../format';

/** The due date, marked when overdue or due within a day. */
export function DueChip({ dueDate, state }: { dueDate: string | null | undefined; state?: string }) {
  const translate = useTranslate();
  if (!dueDate)
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('app.due.none')}
      </Typography>
    );
  const due = state && state !== 'open' ? 'ok' : dueState(dueDate);
  if (due === 'overdue' || due === 'soon') {
    return (
      <Chip
        size="small"
        data-testid={`due-${due}`}
        label={`${formatDate(dueDate)} · ${translate(`app.due.${due}`)}`}
        sx={due === 'overdue' ? { bgcolor: '#fde7e6', color: '#8c1d18' } : { bgcolor: '#fff3d6', color: '#6b4200' }}
      />
    );
  }
  return <Typography variant="body2">{formatDate(dueDate)}</Typography>;
}
