/** Absences and deputies (Stellvertretung): loaded on first use. */
import { lazy } from 'react';
import EventBusyIcon from '@mui/icons-material/EventBusyOutlined';

const AbsenceList = lazy(() => import('./Absences').then((m) => ({ default: m.AbsenceList })));
const AbsenceCreate = lazy(() => import('./Absences').then((m) => ({ default: m.AbsenceCreate })));

export default { list: AbsenceList, create: AbsenceCreate, icon: EventBusyIcon };
