/** Organisations (administration): loaded on first use. */
import { lazy } from 'react';
import ApartmentIcon from '@mui/icons-material/ApartmentOutlined';

const OrganisationList = lazy(() => import('./Organisations').then((m) => ({ default: m.OrganisationList })));
const OrganisationCreate = lazy(() => import('./Organisations').then((m) => ({ default: m.OrganisationCreate })));
const OrganisationEdit = lazy(() => import('./Organisations').then((m) => ({ default: m.OrganisationEdit })));

export default { list: OrganisationList, create: OrganisationCreate, edit: OrganisationEdit, icon: ApartmentIcon };
