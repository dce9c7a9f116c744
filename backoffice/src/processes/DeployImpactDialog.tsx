/** The confirmation before a deploy: which running cases and waiting steps the new version affects. */
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { Impact } from './api';

export function DeployImpactDialog({ impact, busy, onCancel, onConfirm }: { impact: Impact; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const translate = useTranslate();
  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="md" data-testid="deploy-impact">
      <DialogTitle>{translate('app.processes.impact_title')}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ mb: 2 }} data-testid="impact-running">
          {translate('app.processes.impact_running', { smart_count: impact.runningCases })}
        </Typography>
        {impact.versions.length > 0 && (
          <Table size="small" sx={{ mb: 2 }} data-testid="impact-versions">
            <TableHead>
              <TableRow>
                <TableCell>{translate('app.processes.version')}</TableCell>
                <TableCell align="right">{translate('resources.processes.fields.runningCases')}</TableCell>
                <TableCell>{translate('app.processes.impact_waiting')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {impact.versions.map((v) => (
                <TableRow key={v.processDefinitionKey}>
                  <TableCell>v{v.version}</TableCell>
                  <TableCell align="right">{v.runningCases}</TableCell>
                  <TableCell>{v.waiting.length === 0 ? '–' : v.waiting.map((w) => `${w.name}: ${w.cases}`).join(' · ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {impact.removedWaiting.length > 0 ? (
          <Alert severity="warning" data-testid="impact-removed">
            {translate('app.processes.impact_removed')}
            <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
              {impact.removedWaiting.map((r) => (
                <li key={`${r.version}-${r.elementId}`}>
                  «{r.name}» ({r.elementId}, v{r.version}): {translate('app.processes.impact_cases', { smart_count: r.cases })}
                </li>
              ))}
            </ul>
          </Alert>
        ) : (
          <Alert severity="info">{translate('app.processes.impact_none_removed')}</Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={busy} onClick={onConfirm} data-testid="deploy-confirm">
          {translate('app.processes.deploy_confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
