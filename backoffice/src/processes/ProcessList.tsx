/** Every service with its deployed versions (process owners, admins). */
import { Chip, Stack } from '@mui/material';
import { Datagrid, FunctionField, List, NumberField, TextField, useTranslate } from 'react-admin';
import type { VersionInfo } from './api';
import { keyboardRowsBody } from '../layout/KeyboardRows';
import { useDisplayName } from '../lookups';
import { listTableSx } from '../layout/listTable';
import { DateTimeField } from '../layout/DateTimeField';

export function ProcessList() {
  const translate = useTranslate();
  const displayName = useDisplayName();
  return (
    <List pagination={false} exporter={false} sort={{ field: 'name', order: 'ASC' }} title={translate('app.menu.processes')}>
      <Datagrid rowClick="show" body={keyboardRowsBody} sx={listTableSx} bulkActionButtons={false} data-testid="process-list">
        <TextField source="name" sortable={false} />
        <TextField source="key" sortable={false} />
        <NumberField source="currentVersion" sortable={false} />
        <DateTimeField source="deployedAt" />
        <NumberField source="runningCases" sortable={false} />
        <FunctionField
          source="versions"
          sortable={false}
          render={(record: { key: string; versions: VersionInfo[] }) => (
            <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }} data-testid={`process-versions-${record.key}`}>
              {record.versions.slice(0, 6).map((v) => (
                <Chip
                  key={v.version}
                  size="small"
                  variant={v === record.versions[0] ? 'filled' : 'outlined'}
                  label={`v${v.version} · ${displayName(v.deployedBy)}${v.runningCases ? ` · ${v.runningCases} ${translate('app.processes.running')}` : ''}`}
                />
              ))}
            </Stack>
          )}
        />
      </Datagrid>
    </List>
  );
}
