/** The process list is part of the first load; the modeler (bpmn-js, properties panel) only when a process is opened. */
import { lazy } from 'react';
import AccountTreeIcon from '@mui/icons-material/AccountTreeOutlined';
import { ProcessList } from './ProcessList';

const ProcessModelerPage = lazy(() => import('./ProcessModeler').then((m) => ({ default: m.ProcessModelerPage })));

export default { list: ProcessList, show: ProcessModelerPage, icon: AccountTreeIcon };
