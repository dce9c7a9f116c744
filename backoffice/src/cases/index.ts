import FolderIcon from '@mui/icons-material/FolderOpenOutlined';
import { CaseList } from './CaseList';
import { CaseShow } from './CaseShow';

export default { list: CaseList, show: CaseShow, icon: FolderIcon };
