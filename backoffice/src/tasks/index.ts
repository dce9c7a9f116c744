import AssignmentIcon from '@mui/icons-material/AssignmentOutlined';
import { TaskList } from './TaskList';
import { TaskShow } from './TaskShow';

export default { list: TaskList, show: TaskShow, icon: AssignmentIcon };
