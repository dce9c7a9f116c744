import AccountTreeIcon from '@mui/icons-material/AccountTreeOutlined';
import { ProcessList } from './ProcessList';
import { ProcessModelerPage } from './ProcessModeler';

export default { list: ProcessList, show: ProcessModelerPage, icon: AccountTreeIcon };
