/** Create and edit a user: name, e-mail, roles, organisations and their inbox groups; an initial password when created. */
import { useState } from 'react';
import { Button } from '@mui/material';
import KeyIcon from '@mui/icons-material/KeyOutlined';
import {
  AutocompleteArrayInput,
  BooleanInput,
  CheckboxGroupInput,
  Create,
  Edit,
  PasswordInput,
  SimpleForm,
  TextInput,
  Toolbar,
  SaveButton,
  email,
  regex,
  required,
  minLength,
  useDataProvider,
  useGetList,
  useNotify,
  usePermissions,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { errorMessage, type BackofficeDataProvider } from '../dataProvider';
import { ORGANISATION_ROLES, ROLES } from './roles';

/**
 * Each role's checkbox is named by its visible label: the theme's fallback aria-label ("Auswählen",
 * for react-admin's unlabelled row checkboxes) would override it, so screen readers heard every
 * role as "Auswählen". null, not undefined: undefined falls back to the theme's default.
 */
const LABELLED_BY_CHOICE = { slotProps: { input: { 'aria-label': null as unknown as string } } };

interface Organisation {
  id: string;
  name: string;
  inboxGroups: string[];
}

function useChoices() {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const grantable = permissions?.includes('admin') ? [...ROLES] : ORGANISATION_ROLES;
  const { data: organisations = [] } = useGetList<Organisation>('organisations', { pagination: { page: 1, perPage: 500 } });
  const groups = [...new Set(organisations.flatMap((o) => o.inboxGroups))].sort();
  return {
    roles: grantable.map((id) => ({ id, name: translate(`app.administration.roles.${id}`) })),
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    groups: groups.map((id) => ({ id, name: id })),
  };
}

function MembershipInputs() {
  const choices = useChoices();
  return (
    <>
      <TextInput source="displayName" validate={required()} fullWidth />
      <TextInput source="email" type="email" validate={email()} parse={(v: string) => v || null} fullWidth />
      <CheckboxGroupInput source="roles" choices={choices.roles} validate={required()} options={LABELLED_BY_CHOICE} />
      <AutocompleteArrayInput source="organisations" choices={choices.organisations} fullWidth />
      <AutocompleteArrayInput source="groups" choices={choices.groups} fullWidth />
    </>
  );
}

export function UserCreate() {
  const translate = useTranslate();
  return (
    <Create redirect="list">
      <SimpleForm defaultValues={{ roles: ['clerk'], organisations: [], groups: [], email: null, active: true }}>
        <TextInput source="username" validate={[required(), regex(/^[a-z0-9][a-z0-9._-]{2,99}$/, 'Kleinbuchstaben, Ziffern, . _ - (3 bis 100 Zeichen)')]} fullWidth />
        <MembershipInputs />
        <PasswordInput source="initialPassword" validate={[required(), minLength(10)]} helperText={translate('app.administration.initial_password_hint')} fullWidth />
      </SimpleForm>
    </Create>
  );
}

function ResetPasswordButton() {
  const record = useRecordContext<{ id: number }>();
  const dp = useDataProvider<BackofficeDataProvider>();
  const notify = useNotify();
  const translate = useTranslate();
  const [password, setPassword] = useState('');
  if (!record) return null;
  return (
    <>
      <input aria-label={translate('resources.users.fields.initialPassword')} type="password" value={password} onChange={(e) => setPassword(e.target.value)} style={{ marginLeft: 16 }} />
      <Button
        startIcon={<KeyIcon />}
        disabled={password.length < 10}
        onClick={async () => {
          try {
            await dp.resetPassword(record.id, password);
            setPassword('');
            notify('app.administration.password_reset_done', { type: 'success' });
          } catch (err) {
            notify(errorMessage(err), { type: 'error' });
          }
        }}
      >
        {translate('app.administration.reset_password')}
      </Button>
    </>
  );
}

export function UserEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton />
            <ResetPasswordButton />
          </Toolbar>
        }
      >
        <TextInput source="username" disabled fullWidth />
        <MembershipInputs />
        <BooleanInput source="active" />
      </SimpleForm>
    </Edit>
  );
}
