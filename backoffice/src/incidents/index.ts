import ReportProblemIcon from '@mui/icons-material/ReportProblemOutlined';
import { IncidentList } from './IncidentList';

export default { list: IncidentList, icon: ReportProblemIcon };
