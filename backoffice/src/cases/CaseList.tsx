/** The case list with filters; the export downloads the current filter as CSV from the server. */
import { Button } from '@mui/material';
import DownloadIcon from '@mui/icons-material/FileDownloadOutlined';
import { Datagrid, DateInput, FilterButton, FunctionField, List, SearchInput, SelectInput, TextField, TopToolbar, useListContext, useTranslate, type RaRecord } from 'react-admin';
import { formatDateTime } from '../format';
import { CappedPagination } from '../layout/CappedPagination';
import { keyboardRowsBody } from '../layout/KeyboardRows';
import { listTableSx } from '../layout/listTable';
import { useMunicipalityName, useServices } from '../lookups';
import { StatusChip } from './CaseParts';

const statuses = ['received', 'in_progress', 'waiting_for_applicant', 'completed', 'rejected', 'withdrawn'];

function ExportCsvButton() {
  const translate = useTranslate();
  const { filterValues, sort } = useListContext();
  const href = `/api/exports/cases.csv?${new URLSearchParams({ filter: JSON.stringify(filterValues ?? {}), sort: JSON.stringify([sort.field, sort.order]) })}`;
  return (
    <Button size="small" startIcon={<DownloadIcon />} href={href} data-testid="export-csv">
      {translate('app.cases.export_csv')}
    </Button>
  );
}

function Actions() {
  return (
    <TopToolbar>
      <FilterButton />
      <ExportCsvButton />
    </TopToolbar>
  );
}

export function CaseList() {
  const translate = useTranslate();
  const services = useServices();
  const municipalityName = useMunicipalityName();
  const filters = [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('resources.cases.fields.q')} />,
    <SelectInput key="status" source="status" alwaysOn choices={statuses.map((s) => ({ id: s, name: translate(`app.status.${s}`) }))} />,
    <SelectInput key="serviceKey" source="serviceKey" choices={services.map((s) => ({ id: s.key, name: s.name }))} />,
    <DateInput key="closedFrom" source="closedFrom" />,
    <DateInput key="closedBefore" source="closedBefore" />,
  ];
  return (
    <List
      resource="cases"
      title={translate('app.menu.cases')}
      filters={filters}
      actions={<Actions />}
      sort={{ field: 'submittedAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      pagination={<CappedPagination />}
    >
      <Datagrid rowClick="show" body={keyboardRowsBody} bulkActionButtons={false} data-testid="case-table" sx={{ ...listTableSx, '& .column-reference': { whiteSpace: 'nowrap' } }}>
        <TextField source="reference" />
        <TextField source="applicantName" sortable={false} />
        <TextField source="serviceName" sortBy="serviceKey" />
        <FunctionField source="municipality" sortable={false} render={(r: RaRecord) => municipalityName(r.municipality as number)} />
        <FunctionField source="status" render={(r: RaRecord) => <StatusChip status={r.status as string} />} />
        <FunctionField source="submittedAt" render={(r: RaRecord) => formatDateTime(r.submittedAt as string)} />
        <FunctionField source="closedAt" sortable={false} render={(r: RaRecord) => formatDateTime(r.closedAt as string | null)} />
      </Datagrid>
    </List>
  );
}
