import { Dashboard } from './Dashboard';

export default { dashboard: Dashboard };
