/**
 * The inbox (list) is part of the first load; a task's page, with the form-js viewer, is loaded
 * when first opened (react-admin's Layout shows its Loading while the chunk arrives).
 */
import { lazy } from 'react';
import AssignmentIcon from '@mui/icons-material/AssignmentOutlined';
import { TaskList } from './TaskList';

const TaskShow = lazy(() => import('./TaskShow').then((m) => ({ default: m.TaskShow })));

export default { list: TaskList, show: TaskShow, icon: AssignmentIcon };
