/** Moved to model/dates.ts (shared with the server); this re-export goes once no import names it. */
export { addDays, todayIso } from '../../model/dates.js';
