/** Internal notes on a case: add; authors delete their own. */
import { useState } from 'react';
import { Box, Button, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useNotify, useTranslate } from 'react-admin';
import { errorMessage, type BackofficeDataProvider } from '../dataProvider';
import { formatDateTime } from '../format';
import { Section } from './CaseParts';

export function CaseNotes({ reference }: { reference: string }) {
  const dp = useDataProvider<BackofficeDataProvider>();
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const key = ['case-notes', reference];
  const { data: notes = [] } = useQuery({ queryKey: key, queryFn: () => dp.caseNotes(reference) });
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    try {
      await action();
      notify(message, { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      notify(errorMessage(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={translate('app.cases.notes')} testId="case-notes">
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1.5 }}>
        {translate('app.cases.notes_hint')}
      </Typography>
      <Stack spacing={1} sx={{ mb: 2 }}>
        <TextField
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={translate('app.cases.note_placeholder')}
          multiline
          minRows={2}
          fullWidth
          size="small"
          slotProps={{ htmlInput: { maxLength: 5000, 'data-testid': 'note-input' } }}
        />
        <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button
            variant="outlined"
            size="small"
            disabled={!text.trim() || busy}
            data-testid="note-add"
            onClick={() =>
              run(async () => {
                await dp.addCaseNote(reference, text.trim());
                setText('');
              }, 'app.cases.note_added')
            }
          >
            {translate('app.cases.note_add')}
          </Button>
        </Box>
      </Stack>
      {notes.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          {translate('app.cases.no_notes')}
        </Typography>
      )}
      <Stack spacing={1.5}>
        {notes.map((n) => (
          <Box key={n.id} data-testid="case-note" sx={{ borderLeft: '3px solid', borderColor: 'divider', pl: 1.5, display: 'flex', gap: 1 }}>
            <Box sx={{ flex: 1 }}>
              <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
                {n.body}
              </Typography>
              <Typography variant="caption" color="text.secondary">
                {n.authorName} · {formatDateTime(n.createdAt)}
              </Typography>
            </Box>
            {n.own && (
              <Tooltip title={translate('app.cases.note_delete')}>
                <IconButton size="small" aria-label={translate('app.cases.note_delete')} disabled={busy} onClick={() => run(() => dp.deleteCaseNote(reference, n.id), 'app.cases.note_deleted')}>
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            )}
          </Box>
        ))}
      </Stack>
    </Section>
  );
}
