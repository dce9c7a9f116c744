/**
 * The live inbox (issue 18): pushes "these tasks changed" to the open back-office tabs that may
 * see them. Every server process polls task_changes (filled by database triggers, so a task
 * written by any process is seen) once per interval while it has a stream open, and fans each
 * change out to its streams after the same visibility check as the inbox (organisation, then
 * candidate groups, candidate users or assignee; team leads and admins see the organisation).
 * A tab refetches its list on an event; the event carries only task ids.
 */
import type { Logger } from 'pino';
import type { TaskChange, TaskRepository, TaskVisibility } from '../repositories/tasks';
import type { User } from '../repositories/users';
import { Poller } from '../lib/poller';
import { taskVisibility } from './tasks';

/** A stream's receiver: the ids of tasks it may see that changed; `end` when the process stops. */
export interface TaskEventSink {
  changed(taskIds: string[]): void;
  end(): void;
}

/**
 * PostgreSQL hands out sequence numbers before commit, so a change may become visible after a
 * higher one was read: each poll rereads this many numbers below the highest seen and skips the
 * ones it delivered already.
 */
const LOOKBACK = 200;
const BATCH = 1000;

export class TaskEventHub {
  private readonly sinks = new Map<TaskEventSink, TaskVisibility>();
  private readonly poller: Poller;
  /** highest sequence number read; undefined until the first poll after start */
  private cursor: number | undefined;
  private readonly delivered = new Set<number>();

  constructor(
    private readonly tasks: TaskRepository,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {
    this.poller = new Poller(
      () => this.poll(),
      (err) => this.log.warn({ err }, 'task change poll failed'),
    );
  }

  /** Delivers the user's visible changes to `sink` until the returned function is called. */
  subscribe(user: User, sink: TaskEventSink): () => void {
    this.sinks.set(sink, taskVisibility(user));
    if (!this.poller.started) this.poller.start(this.intervalMs);
    return () => {
      this.sinks.delete(sink);
      // nobody listens: stop polling; the next stream starts from the newest change again
      if (this.sinks.size === 0) this.stop();
    };
  }

  get streams(): number {
    return this.sinks.size;
  }

  /** Shutdown: ends every stream (the tabs reconnect to another process). */
  close(): void {
    for (const sink of [...this.sinks.keys()]) sink.end();
    this.sinks.clear();
    this.stop();
  }

  private stop(): void {
    this.poller.stop();
    this.cursor = undefined;
    this.delivered.clear();
  }

  private async poll(): Promise<void> {
    if (this.cursor === undefined) {
      this.cursor = await this.tasks.latestChangeSeq();
      return;
    }
    const floor = Math.max(0, this.cursor - LOOKBACK);
    const read = await this.tasks.changesAfter(floor, BATCH);
    // more than a batch behind: read on at once
    if (read.length === BATCH) this.poller.kick();
    const changes = read.filter((c) => !this.delivered.has(c.seq));
    if (changes.length === 0) return;
    for (const c of changes) {
      this.delivered.add(c.seq);
      this.cursor = Math.max(this.cursor, c.seq);
    }
    for (const seq of this.delivered) if (seq <= this.cursor - LOOKBACK) this.delivered.delete(seq);
    for (const [sink, visibility] of this.sinks) {
      const ids = [...new Set(changes.filter((c) => canSee(visibility, c)).map((c) => c.taskId))];
      if (ids.length > 0) sink.changed(ids);
    }
  }
}

/** The inbox's visibility rule (TaskRepository applyVisibility) for one changed task. */
export function canSee(v: TaskVisibility, task: Pick<TaskChange, 'organisationId' | 'candidateGroups' | 'candidateUsers' | 'assignee'>): boolean {
  if (v.organisations !== 'all' && !v.organisations.includes(task.organisationId)) return false;
  const who = v.groupsOf;
  if (!who) return true;
  return task.assignee === who.username || task.candidateUsers.includes(who.username) || task.candidateGroups.some((g) => who.groups.includes(g));
}
