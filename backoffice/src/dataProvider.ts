/**
 * react-admin simple-rest over the staff API, plus the back office's own calls (task actions,
 * inbox counts, notes, diagram, dashboard). The browser sends the session cookie.
 */
import { fetchUtils, HttpError, type DataProvider, type GetListParams, type GetListResult } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { session } from './session';

export type InboxView = 'mine' | 'groups' | 'organisation' | 'completed';
export const inboxViews: InboxView[] = ['mine', 'groups', 'organisation', 'completed'];

export const httpClient = (url: string, options: fetchUtils.Options = {}) => fetchUtils.fetchJson(url, { ...options, credentials: 'include' });

/** An inbox view as server filters, for the signed-in user. */
export function viewFilter(view: InboxView | undefined): Record<string, unknown> {
  const user = session.get();
  switch (view) {
    case 'mine':
      return { state: 'open', assignee: user?.username ?? '' };
    case 'groups':
      return { state: 'open', assignee: null, candidateGroups: user?.groups ?? [] };
    case 'completed':
      return { state: 'completed' };
    case 'organisation':
    default:
      return { state: 'open' };
  }
}

/**
 * The inbox's own filters as server filters: `unassigned` and `overdue` (what the cockpit's
 * bars and figures open) become `assignee: null` and a due date before now.
 */
export function taskFilter({ view, unassigned, overdue, ...filter }: Record<string, unknown>): Record<string, unknown> {
  return {
    ...filter,
    ...(unassigned === true ? { assignee: null } : {}),
    ...(overdue === true ? { dueBefore: new Date().toISOString() } : {}),
    ...viewFilter((view as InboxView | undefined) ?? 'mine'),
  };
}

const rest = simpleRestProvider('/api', httpClient);
/** the administration's resources live under /api/admin */
const adminRest = simpleRestProvider('/api/admin', httpClient);
const ADMIN_RESOURCES = ['users', 'organisations', 'audit-events'];
const restOf = (resource: string) => (ADMIN_RESOURCES.includes(resource) ? adminRest : rest);

/** The fields the server accepts when a record is changed (it refuses any other: id, username…). */
const EDITABLE: Record<string, string[]> = {
  users: ['displayName', 'email', 'roles', 'groups', 'organisations', 'active'],
  organisations: ['name', 'inboxGroups'],
};
const editable = (resource: string, data: Record<string, unknown>) =>
  EDITABLE[resource] ? Object.fromEntries(EDITABLE[resource].map((field) => [field, data[field] ?? (field === 'email' ? null : data[field])])) : data;

export const post = async <T>(url: string, body?: unknown): Promise<T> => (await httpClient(url, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) })).json as T;
export const get = async <T>(url: string): Promise<T> => (await httpClient(url)).json as T;

export interface TaskCounts {
  mine: number;
  groups: number;
  organisation: number;
  completed: number;
  /** views whose count is a lower bound: the server stops counting at 10 000 (shown as "10'000+") */
  capped?: InboxView[];
}

/** `meta` of a getList result of tasks and cases */
export interface ListMeta {
  /** X-Total-Capped: the server stopped counting; `total` is a lower bound ("more than total − 1") */
  totalCapped: boolean;
}

/**
 * simple-rest getList that also reads X-Total-Capped: task and case lists count only up to a
 * cap (about 10 000, fewer for a frequent search term), then Content-Range carries a lower bound.
 */
async function getCappedList(resource: string, params: GetListParams): Promise<GetListResult> {
  const { page, perPage } = params.pagination ?? { page: 1, perPage: 10 };
  const { field, order } = params.sort ?? { field: 'id', order: 'ASC' };
  const query = new URLSearchParams({
    sort: JSON.stringify([field, order]),
    range: JSON.stringify([(page - 1) * perPage, page * perPage - 1]),
    filter: JSON.stringify(params.filter ?? {}),
  });
  const { headers, json } = await httpClient(`/api/${resource}?${query}`, { signal: params.signal });
  const range = headers.get('content-range');
  if (!range) throw new Error(`The Content-Range header is missing in the response of /api/${resource}`);
  const meta: ListMeta = { totalCapped: headers.get('x-total-capped') === 'true' };
  return { data: json, total: parseInt(range.split('/').pop() ?? '', 10), meta };
}

export interface Colleague {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export interface CaseNote {
  id: number;
  author: string;
  authorName: string;
  body: string;
  createdAt: string;
  own: boolean;
}

export interface CaseDiagram {
  processId: string;
  xml: string | null;
  completed: string[];
  active: string[];
  flows: string[];
}

const enc = encodeURIComponent;

export const dataProvider = {
  ...rest,
  getList: (resource, params) => {
    if (resource === 'tasks') return getCappedList(resource, { ...params, filter: taskFilter(params.filter ?? {}) });
    if (resource === 'cases') return getCappedList(resource, params);
    return restOf(resource).getList(resource, params);
  },
  getOne: (resource, params) => restOf(resource).getOne(resource, params),
  getMany: (resource, params) => restOf(resource).getMany(resource, params),
  create: (resource, params) => restOf(resource).create(resource, params),
  update: (resource, params) => restOf(resource).update(resource, { ...params, data: editable(resource, params.data) }),
  resetPassword: (id: number, initialPassword: string) => post(`/api/admin/users/${id}/password`, { initialPassword }),
  claimTask: (id: string) => post(`/api/tasks/${enc(id)}/claim`),
  unclaimTask: (id: string) => post(`/api/tasks/${enc(id)}/unclaim`),
  assignTask: (id: string, assignee: string, reason?: string) => post(`/api/tasks/${enc(id)}/assign`, reason ? { assignee, reason } : { assignee }),
  completeTask: (id: string, variables: Record<string, unknown>) => post(`/api/tasks/${enc(id)}/complete`, { variables }),
  requestInfo: (id: string, message: string) => post(`/api/tasks/${enc(id)}/request-info`, { message }),
  taskCounts: () => get<TaskCounts>('/api/inbox/counts'),
  incidentCount: () => get<{ unresolved: number }>('/api/incidents/count'),
  retryIncident: (id: number) => post(`/api/incidents/${id}/retry`),
  cancelIncidentCase: (id: number, reason: string) => post(`/api/incidents/${id}/cancel-case`, { reason }),
  colleagues: () => get<Colleague[]>('/api/colleagues'),
  staffNames: () => get<Record<string, string>>('/api/staff-names'),
  dashboard: () => get<any>('/api/dashboard'),
  caseDiagram: (reference: string) => get<CaseDiagram>(`/api/cases/${enc(reference)}/diagram`),
  caseNotes: (reference: string) => get<CaseNote[]>(`/api/cases/${enc(reference)}/notes`),
  addCaseNote: (reference: string, body: string) => post<CaseNote>(`/api/cases/${enc(reference)}/notes`, { body }),
  deleteCaseNote: async (reference: string, id: number) => {
    await httpClient(`/api/cases/${enc(reference)}/notes/${id}`, { method: 'DELETE' });
  },
  services: () => get<Array<{ key: string; name: string }>>('/api/v1/services'),
  municipalities: () => get<Array<{ bfsNumber: number; name: string }>>('/api/v1/municipalities'),
} satisfies DataProvider & Record<string, unknown>;

export type BackofficeDataProvider = typeof dataProvider;

/** The message of a problem+json error (the server words it in German). */
export function errorMessage(err: unknown): string {
  if (err instanceof HttpError) {
    const body = err.body as { detail?: string; errors?: Array<{ path: string; message: string }> } | undefined;
    const details = body?.errors?.map((e) => `${e.path}: ${e.message}`).join(', ');
    return [body?.detail ?? err.message, details].filter(Boolean).join(' – ');
  }
  return err instanceof Error ? err.message : String(err);
}
