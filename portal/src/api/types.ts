/** The public API's shapes (DESIGN.md §4 and §6) as far as the portal reads them. */
export type IdentityLevel = 'none' | 'login' | 'verified';
export type CaseStatus = 'received' | 'in_progress' | 'waiting_for_applicant' | 'completed' | 'rejected' | 'withdrawn';

export interface Service {
  key: string;
  name: string;
  description: string;
  authority: 'municipality' | 'canton';
  fee: null | { amount: number; currency: 'CHF' };
  targetDays?: number | null;
  identity?: IdentityLevel;
  category?: string;
}

export interface FormComponent {
  id?: string;
  key?: string;
  label?: string;
  type: string;
  components?: FormComponent[];
}

export interface ServiceDetail extends Service {
  form: { components: FormComponent[] } & Record<string, unknown>;
}

export interface Municipality {
  bfsNumber: number;
  name: string;
  district: string;
  postalCodes: string[];
}

export interface Me {
  subject: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  assurance?: string;
  csrfToken?: string;
}

export interface Receipt {
  reference: string;
  status: 'received';
  accessToken: string;
  statusUrl: string;
  receipt: {
    receivedAt: string;
    dataSha256: string;
    attachments: Array<{ name: string; contentType: string; size: number; sha256: string }>;
    signature: string;
    algorithm: string;
  };
}

export interface CaseStatusView {
  reference: string;
  service: { key: string; name: string };
  status: CaseStatus;
  submittedAt: string;
  timeline: Array<{ at: string; status: CaseStatus; label: string }>;
  documents: Array<{ id: string; name: string; contentType: string; url: string }>;
  openRequests: Array<{ id: string; message: string; requestedAt: string }>;
  fee: null | { amount: number; currency: 'CHF'; status: 'open' | 'paid' };
}

export interface MySubmission {
  reference: string;
  service: string;
  serviceName: string;
  authority: { id: string; name: string };
  status: CaseStatus;
  submittedAt: string;
  updatedAt: string;
}

export interface FieldError {
  path: string;
  message: string;
  /** a municipality the server cannot decide (the address or the service's place may lie in several): the ones to choose from */
  candidates?: Array<{ bfsNumber: number; name: string }>;
}
