import type { Db } from '../db/database';

/** What waits to be done, for the operators' metrics: each a count over an indexed state column. */
export interface Backlogs {
  processStarts: number;
  mail: number;
  statusCallbacks: number;
  openTasks: number;
}

export class OperationsRepository {
  constructor(private readonly db: Db) {}

  async backlogs(): Promise<Backlogs> {
    const count = async (table: string, column: string, value: string) => Number((await this.db(table).where(column, value).count({ n: '*' }).first())?.n ?? 0);
    const [processStarts, mail, statusCallbacks, openTasks] = await Promise.all([
      count('process_start_outbox', 'status', 'pending'),
      count('mail_outbox', 'status', 'pending'),
      count('status_callbacks', 'state', 'pending'),
      count('tasks', 'state', 'open'),
    ]);
    return { processStarts, mail, statusCallbacks, openTasks };
  }
}
