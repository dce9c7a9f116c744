/** Users (administration): loaded on first use, only admins and organisation admins open them. */
import { lazy } from 'react';
import PeopleIcon from '@mui/icons-material/PeopleOutlined';

const UserList = lazy(() => import('./UserList').then((m) => ({ default: m.UserList })));
const UserCreate = lazy(() => import('./UserForms').then((m) => ({ default: m.UserCreate })));
const UserEdit = lazy(() => import('./UserForms').then((m) => ({ default: m.UserEdit })));

export default { list: UserList, create: UserCreate, edit: UserEdit, icon: PeopleIcon };
