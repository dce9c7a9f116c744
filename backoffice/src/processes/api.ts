/** Calls of the process-owner API (/api/processes). */
import { get, post } from '../dataProvider';

export interface StoredForm {
  fileName: string;
  schema: { id: string; components: unknown[]; [key: string]: unknown };
}
export interface VersionInfo {
  version: number;
  processDefinitionKey: string;
  deployedAt: string;
  deployedBy: string;
  revisionId: number | null;
  hasContent: boolean;
  runningCases?: number;
}
export interface ProcessDetail {
  key: string;
  name: string;
  processId: string;
  version: number | null;
  xml: string;
  forms: StoredForm[];
  versions: VersionInfo[];
}
export interface DraftInfo {
  id: number;
  comment: string;
  author: string;
  createdAt: string;
}
export interface Finding {
  path: string;
  message: string;
  severity: 'error' | 'warning';
  rule: string;
}
export interface DiffElement {
  id: string;
  type: string;
  name: string | null;
  attrs?: string[];
}
export interface ProcessDiff {
  added: DiffElement[];
  removed: DiffElement[];
  changed: DiffElement[];
  layoutChanged: DiffElement[];
  forms: { added: string[]; removed: string[]; changed: string[] };
}

export interface WaitingStep {
  elementId: string;
  name: string;
  cases: number;
}
export interface Impact {
  draftId: number;
  runningCases: number;
  versions: Array<{ version: number; processDefinitionKey: string; runningCases: number; waiting: WaitingStep[] }>;
  removedWaiting: Array<WaitingStep & { version: number }>;
}

const base = (key: string) => `/api/processes/${encodeURIComponent(key)}`;

export const processApi = {
  get: (key: string) => get<ProcessDetail>(base(key)),
  version: (key: string, version: number) => get<{ xml: string; forms: StoredForm[] }>(`${base(key)}/versions/${version}`),
  drafts: (key: string) => get<DraftInfo[]>(`${base(key)}/drafts`),
  draft: (key: string, id: number) => get<DraftInfo & { xml: string; forms: StoredForm[] }>(`${base(key)}/drafts/${id}`),
  saveDraft: (key: string, body: { xml: string; forms: StoredForm[]; comment: string }) => post<DraftInfo>(`${base(key)}/drafts`, body),
  lint: (key: string, body: { xml: string; forms: StoredForm[] }) => post<{ findings: Finding[]; errors: number; warnings: number }>(`${base(key)}/lint`, body),
  impact: (key: string, draftId: number) => get<Impact>(`${base(key)}/impact?draftId=${draftId}`),
  deploy: (key: string, draftId: number) => post<VersionInfo>(`${base(key)}/deploy`, { draftId }),
  diff: (key: string, from: string, to: string) => get<ProcessDiff>(`${base(key)}/diff?${new URLSearchParams({ from, to })}`),
  exportUrl: (key: string, version?: number) => `${base(key)}/export${version ? `?version=${version}` : ''}`,
};
