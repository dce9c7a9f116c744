/** Organisations (municipalities, cantonal offices) with their inbox groups; created and changed by admins. */
import { Chip, Stack } from '@mui/material';
import {
  Create,
  CreateButton,
  Datagrid,
  Edit,
  FormDataConsumer,
  FunctionField,
  List,
  NumberInput,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  TopToolbar,
  required,
  usePermissions,
  useTranslate,
} from 'react-admin';

/** "a, b" ⇄ ["a", "b"] */
const groupsFromText = (text: string) =>
  (text ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
const groupsAsText = (groups: string[] | undefined) => (groups ?? []).join(', ');

function InboxGroupsInput() {
  const translate = useTranslate();
  return <TextInput source="inboxGroups" parse={groupsFromText} format={groupsAsText} helperText={translate('app.administration.inbox_groups_hint')} fullWidth />;
}

export function OrganisationList() {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  return (
    <List pagination={false} actions={<TopToolbar>{permissions?.includes('admin') && <CreateButton />}</TopToolbar>}>
      <Datagrid rowClick={permissions?.includes('admin') ? 'edit' : false} bulkActionButtons={false} data-testid="organisation-list">
        <TextField source="name" sortable={false} />
        <FunctionField source="kind" sortable={false} render={(o: { kind: string }) => translate(`app.administration.kinds.${o.kind}`)} />
        <TextField source="id" sortable={false} />
        <FunctionField
          source="inboxGroups"
          sortable={false}
          render={(o: { inboxGroups: string[] }) => (
            <Stack direction="row" spacing={0.5}>
              {o.inboxGroups.map((g) => (
                <Chip key={g} size="small" label={g} />
              ))}
            </Stack>
          )}
        />
      </Datagrid>
    </List>
  );
}

export function OrganisationCreate() {
  const translate = useTranslate();
  return (
    <Create redirect="list">
      <SimpleForm defaultValues={{ kind: 'canton', inboxGroups: [] }}>
        <SelectInput source="kind" choices={['municipality', 'canton'].map((id) => ({ id, name: translate(`app.administration.kinds.${id}`) }))} validate={required()} />
        <TextInput source="name" validate={required()} fullWidth />
        <FormDataConsumer>
          {({ formData }) => (formData.kind === 'municipality' ? <NumberInput source="bfsNumber" validate={required()} /> : <TextInput source="key" validate={required()} />)}
        </FormDataConsumer>
        <InboxGroupsInput />
      </SimpleForm>
    </Create>
  );
}

export function OrganisationEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm>
        <TextInput source="id" disabled fullWidth />
        <TextInput source="name" validate={required()} fullWidth />
        <InboxGroupsInput />
      </SimpleForm>
    </Edit>
  );
}
