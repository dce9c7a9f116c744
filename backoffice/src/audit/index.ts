/** The audit log (administration): loaded on first use. */
import { lazy } from 'react';
import HistoryIcon from '@mui/icons-material/HistoryOutlined';

const AuditList = lazy(() => import('./AuditList').then((m) => ({ default: m.AuditList })));

export default { list: AuditList, icon: HistoryIcon };
