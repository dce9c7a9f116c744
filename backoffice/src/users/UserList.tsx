/** Users of the caller's organisations (admins: all), with roles, organisations and state. */
import { BooleanField, CreateButton, Datagrid, FunctionField, List, NullableBooleanInput, SelectInput, TextField, TextInput, TopToolbar, useTranslate } from 'react-admin';
import { Chip, Stack } from '@mui/material';
import { ROLES } from './roles';

function Roles({ roles }: { roles: string[] }) {
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
      {roles.map((r) => (
        <Chip key={r} size="small" label={translate(`app.administration.roles.${r}`)} />
      ))}
    </Stack>
  );
}

export function UserList() {
  const translate = useTranslate();
  const filters = [
    <TextInput key="q" source="q" alwaysOn />,
    <SelectInput key="role" source="role" choices={ROLES.map((id) => ({ id, name: translate(`app.administration.roles.${id}`) }))} />,
    <NullableBooleanInput key="active" source="active" />,
  ];
  return (
    <List
      sort={{ field: 'username', order: 'ASC' }}
      perPage={25}
      filters={filters}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
    >
      <Datagrid rowClick="edit" bulkActionButtons={false} data-testid="user-list">
        <TextField source="username" />
        <TextField source="displayName" />
        <TextField source="email" />
        <FunctionField source="roles" sortable={false} render={(u: { roles: string[] }) => <Roles roles={u.roles} />} />
        <FunctionField source="organisations" sortable={false} render={(u: { organisations: string[] }) => u.organisations.join(', ')} />
        <BooleanField source="active" />
        <BooleanField source="mustChangePassword" sortable={false} />
      </Datagrid>
    </List>
  );
}
