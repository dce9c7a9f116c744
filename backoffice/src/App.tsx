import { Admin, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n/i18nProvider';
import { Layout } from './layout/Layout';
import { LoginPage } from './layout/LoginPage';
import { theme } from './theme';
import tasks from './tasks';
import cases from './cases';
import dashboard from './dashboard';
import processes from './processes';
import incidents from './incidents';
import users from './users';
import organisations from './organisations';
import audit from './audit';
import absences from './absences';

export function App() {
  return (
    <Admin
      title="Backoffice Kanton Luzern"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      layout={Layout}
      loginPage={LoginPage}
      dashboard={dashboard.dashboard}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      <Resource name="tasks" {...tasks} />
      <Resource name="cases" {...cases} />
      <Resource name="processes" {...processes} />
      <Resource name="incidents" {...incidents} />
      <Resource name="users" {...users} />
      <Resource name="organisations" {...organisations} />
      <Resource name="audit-events" {...audit} />
      <Resource name="absences" {...absences} />
    </Admin>
  );
}
