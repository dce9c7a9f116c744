import { randomUUID } from 'node:crypto';
import os from 'node:os';

/**
 * This process's name in claims and leases: host, pid and a random part (a restarted process
 * with the same pid is another claimer).
 */
export const processName = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
