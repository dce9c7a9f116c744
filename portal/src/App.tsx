/** The portal's routes under /portal/. */
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { CasePage } from './cases/CasePage';
import { MyCasesPage } from './cases/MyCasesPage';
import { CataloguePage } from './catalogue/CataloguePage';
import { I18nProvider } from './i18n/i18n';
import { Layout, NotFoundPage } from './layout/Layout';
import { SessionProvider } from './layout/session';
import { ReceiptPage } from './receipt/ReceiptPage';
import { ServicePage } from './service/ServicePage';
import { SignInProblemPage } from './signin/SignInProblemPage';

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter basename="/portal">
          <Routes>
            <Route element={<Layout />}>
              <Route index element={<CataloguePage />} />
              <Route path="dienstleistungen/:key" element={<ServicePage />} />
              <Route path="quittung/:reference" element={<ReceiptPage />} />
              <Route path="gesuche" element={<MyCasesPage />} />
              <Route path="gesuche/:reference" element={<CasePage />} />
              <Route path="anmeldung" element={<SignInProblemPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
