/** The case list is part of the first load; a case's page, with the bpmn-js viewer, is loaded when first opened. */
import { lazy } from 'react';
import FolderIcon from '@mui/icons-material/FolderOpenOutlined';
import { CaseList } from './CaseList';

const CaseShow = lazy(() => import('./CaseShow').then((m) => ({ default: m.CaseShow })));

export default { list: CaseList, show: CaseShow, icon: FolderIcon };
