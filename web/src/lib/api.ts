/** Typed API client: response types come from common/api*.ts (type-only imports: no zod in the bundle). */
import type { z } from 'zod';
import type { AgencyDetail, AgencySummary, ItemOut, OfficeOut, SearchOut } from '../../../common/api.ts';
import type {
  authorisationIn,
  authorisationOut,
  codeSentOut,
  loginIn,
  MeOut,
  registerIn,
  smsCodeOut,
  devSmsOut,
  UserOut,
  windowCheckIn,
  windowCheckOut,
} from '../../../common/api-accounts.ts';
import type {
  ActionIn,
  bulkIn,
  bulkOut,
  CaseDetail,
  caseListOut,
  CaseSummary,
  EvaluationOut,
  materialOut,
  notificationsOut,
  outOfTurnOut,
  QueueQuery,
  registerCaseIn,
  savedFilterOut,
  verifyOut,
} from '../../../common/api-cases.ts';
import type { employeeOneIn, employeesOut, RosterReportOut } from '../../../common/api-employer.ts';
import type { AgencyUnitClerksOut, MyUnitClerkOut, UnitClerksOut } from '../../../common/api-unit-clerks.ts';
export type { AgencyUnitClerksOut, MyUnitClerkOut, UnitClerksOut };
import type { ErrorBody } from '../../../common/errors.ts';

export type { AgencyDetail, AgencySummary, ItemOut, OfficeOut, SearchOut, MeOut, UserOut, CaseDetail, CaseSummary, ActionIn, EvaluationOut };
export type CaseList = z.infer<typeof caseListOut>;
export type MaterialOut = z.infer<typeof materialOut>;
export type Notifications = z.infer<typeof notificationsOut>;
export type OutOfTurn = z.infer<typeof outOfTurnOut>;
export type VerifyOut = z.infer<typeof verifyOut>;
export type SavedFilter = z.infer<typeof savedFilterOut>;
export type BulkOut = z.infer<typeof bulkOut>;
export type LoginIn = z.input<typeof loginIn>;
export type RegisterIn = z.input<typeof registerIn>;
export type RegisterCaseIn = z.input<typeof registerCaseIn>;
export type BulkIn = z.input<typeof bulkIn>;
export type DevSms = z.infer<typeof devSmsOut>;
export type Authorisation = z.infer<typeof authorisationOut>;
export type AuthorisationIn = z.input<typeof authorisationIn>;
export type CodeSent = z.infer<typeof codeSentOut>;
export type WindowCheckIn = z.input<typeof windowCheckIn>;
export type WindowCheckOut = z.infer<typeof windowCheckOut>;
export type { RosterReportOut };
export type Employees = z.infer<typeof employeesOut>;
export type EmployeeOneIn = z.input<typeof employeeOneIn>;

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** The error body's `details`: for FORM_INVALID a list of { field, message }. */
  readonly details?: unknown;
  constructor(code: string, message: string, status: number, details?: unknown) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Field errors carried by a FORM_INVALID (or VALIDATION_FAILED) error, if any. */
export function fieldProblems(e: unknown): FieldProblem[] {
  if (!(e instanceof ApiError) || !Array.isArray(e.details)) return [];
  return (e.details as unknown[]).flatMap((d) => {
    if (!d || typeof d !== 'object') return [];
    const o = d as Record<string, unknown>;
    const field = typeof o.field === 'string' ? o.field : Array.isArray(o.path) ? o.path.join('.') : '';
    return typeof o.message === 'string' ? [{ field, message: o.message }] : [];
  });
}

export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError('UNKNOWN', '出现了意外错误，请刷新重试。', 0);
}

const CSRF_COOKIE = 'yb_csrf';
function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CSRF_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

async function toError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  return new ApiError(
    body?.error?.code ?? 'HTTP_' + res.status,
    body?.error?.message ?? (res.status === 413 ? '提交的内容过大。' : `请求失败（${res.status}）`),
    res.status,
    body?.error?.details,
  );
}

async function doFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError('NETWORK', '网络连接失败，请检查网络后重试。', 0);
  }
}

/** Any API call with same-origin cookies; writes carry the CSRF header (double submit). */
export async function send<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  opts: { keepalive?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const t = csrfToken();
    if (t) headers['x-csrf-token'] = t;
  }
  const res = await doFetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), keepalive: opts.keepalive });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}

/** POST a multipart form with the CSRF header. */
async function postForm<T>(url: string, fd: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = csrfToken();
  if (t) headers['x-csrf-token'] = t;
  const res = await doFetch(url, { method: 'POST', headers, body: fd });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}

/** Upload one file for a material (multipart: materialIndex first, then file). */
export async function uploadMaterial(caseId: number, materialIndex: number, file: File): Promise<MaterialOut> {
  const fd = new FormData();
  fd.append('materialIndex', String(materialIndex));
  fd.append('file', file, file.name);
  return postForm<MaterialOut>(`/api/cases/${caseId}/materials`, fd);
}

/** 单位网厅: upload a roster (CSV or XLSX) to be checked whole; nothing is applied yet. */
export async function uploadRoster(file: File): Promise<RosterReportOut> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return postForm<RosterReportOut>('/api/unit/roster', fd);
}

/** 单位经办人: upload the 授权委托书 of one's pending request (PDF/JPG/PNG). */
export async function uploadClerkLetter(file: File): Promise<{ letterName: string }> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return postForm<{ letterName: string }>('/api/unit/clerk-request/letter', fd);
}
/** Where a request's 授权委托书 opens (applicant, the unit's clerks, the agency's staff). */
export const clerkLetterHref = (id: number) => `/api/unit-clerk-requests/${id}/letter`;

function get<T>(url: string): Promise<T> {
  return send<T>('GET', url);
}

const cache = new Map<string, Promise<unknown>>();
function cached<T>(url: string): Promise<T> {
  let p = cache.get(url) as Promise<T> | undefined;
  if (!p) {
    p = get<T>(url);
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

export const api = {
  agencies: () => cached<AgencySummary[]>('/api/agencies'),
  agency: (code: string) => cached<AgencyDetail>(`/api/agencies/${encodeURIComponent(code)}`),
  items: (code: string) => cached<ItemOut[]>(`/api/agencies/${encodeURIComponent(code)}/items`),
  item: (code: string, item: string) => cached<ItemOut>(`/api/agencies/${encodeURIComponent(code)}/items/${encodeURIComponent(item)}`),
  offices: (code: string) => cached<OfficeOut[]>(`/api/agencies/${encodeURIComponent(code)}/offices`),
  search: (q: string, agency?: string) =>
    get<SearchOut>(`/api/search?q=${encodeURIComponent(q)}${agency ? `&agency=${encodeURIComponent(agency)}` : ''}`),

  // ---- accounts ----
  me: () => get<MeOut>('/api/auth/me'),
  login: (body: LoginIn) => send<MeOut>('POST', '/api/auth/login', body),
  register: (body: RegisterIn) => send<MeOut>('POST', '/api/auth/register', body),
  smsCode: (mobile: string, purpose: 'register' | 'login' | 'reset') =>
    send<z.infer<typeof smsCodeOut>>('POST', '/api/auth/sms-code', { mobile, purpose }),
  logout: () => send<{ ok: boolean }>('POST', '/api/auth/logout'),
  /** 代办授权: the people this account may act for. */
  authorisations: () => get<{ items: Authorisation[] }>('/api/authorisations'),
  createAuthorisation: (body: AuthorisationIn) => send<{ id: number }>('POST', '/api/authorisations', body),
  /** The principal's confirmation: a code texted to the registry's number for the principal, entered by the agent. */
  authorisationCode: (id: number) => send<CodeSent>('POST', `/api/authorisations/${id}/code`),
  confirmAuthorisation: (id: number, code: string) => send<{ ok: boolean }>('POST', `/api/authorisations/${id}/confirm`, { code }),
  /** A verified identity: a code to the registry's number for this account's ID number. */
  identityCode: () => send<CodeSent>('POST', '/api/auth/identity/code'),
  verifyIdentity: (code: string) => send<MeOut>('POST', '/api/auth/identity/verify', { code }),
  /** A clerk checked the card at the window. */
  windowCheck: (body: WindowCheckIn) => send<WindowCheckOut>('POST', '/api/staff/identity-checks', body),

  // ---- applicants ----
  myCases: (page = 1, pageSize = 50, filter: { status?: string; agency?: string; item?: string } = {}) =>
    get<CaseList>(`/api/cases/mine?${new URLSearchParams({ page: String(page), pageSize: String(pageSize), ...filter })}`),
  case: (id: number) => get<CaseDetail>(`/api/cases/${id}`),
  /** A new draft; with `authorisationId` the applicant is that authorisation's principal (代办). */
  createCase: (agencyCode: string, itemCode: string, authorisationId?: number) =>
    send<CaseDetail>('POST', '/api/cases', authorisationId ? { agencyCode, itemCode, authorisationId } : { agencyCode, itemCode }),
  saveDraft: (id: number, answers: Record<string, string>, lockVersion?: number, keepalive = false) =>
    send<CaseDetail>('PUT', `/api/cases/${id}/draft`, { answers, lockVersion }, { keepalive }),
  /** 办理前自检: the rules on the applicant's (or, with `authorisationId`, the principal's) registry record and these answers. */
  precheck: (agency: string, item: string, answers: Record<string, string>, authorisationId?: number) =>
    send<EvaluationOut>(
      'POST',
      `/api/agencies/${encodeURIComponent(agency)}/items/${encodeURIComponent(item)}/precheck`,
      authorisationId ? { answers, authorisationId } : { answers },
    ),
  submitCase: (id: number) => send<CaseDetail>('POST', `/api/cases/${id}/submit`),
  act: (id: number, action: string, body: ActionIn) => send<CaseDetail>('POST', `/api/cases/${id}/actions/${encodeURIComponent(action)}`, body),
  deleteMaterial: (id: number, mid: number) => send<{ ok: boolean }>('DELETE', `/api/cases/${id}/materials/${mid}`),
  notifications: () => get<Notifications>('/api/notifications'),
  verify: (code: string) => get<VerifyOut>(`/api/verify/${encodeURIComponent(code)}`),

  // ---- units (单位网厅) ----
  unitEmployees: () => get<Employees>('/api/unit/employees'),
  /** Apply a checked roster: 'all' only when it has no errors, 'valid' for its correct rows only. */
  applyRoster: (id: number, mode: 'all' | 'valid') => send<RosterReportOut>('POST', `/api/unit/roster/${id}/apply`, { mode }),
  /** One 增员 or 减员, checked and applied at once. */
  unitEmployee: (body: EmployeeOneIn) => send<RosterReportOut>('POST', '/api/unit/employees', body),

  /** 单位经办人: my request's status, the unit's clerks and requests, and the decisions. */
  myClerkRequest: () => get<MyUnitClerkOut>('/api/unit/clerk-request'),
  reapplyClerk: () => send<{ id: number }>('POST', '/api/unit/clerk-request', {}),
  unitClerks: () => get<UnitClerksOut>('/api/unit/clerks'),
  unitClerkAct: (id: number, action: 'approve' | 'reject' | 'revoke', reason?: string) =>
    send<{ id: number; status: string }>('POST', `/api/unit/clerk-requests/${id}/${action}`, reason ? { reason } : {}),
  staffUnitClerks: (status: 'pending' | 'approved' | 'rejected' | 'revoked') =>
    get<AgencyUnitClerksOut>(`/api/staff/unit-clerk-requests?status=${status}`),
  staffUnitClerkAct: (id: number, action: 'approve' | 'reject' | 'revoke', reason?: string) =>
    send<{ id: number; status: string }>('POST', `/api/staff/unit-clerk-requests/${id}/${action}`, reason ? { reason } : {}),

  // ---- staff ----
  queue: (q: Partial<Record<keyof QueueQuery, string>>) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) sp.set(k, v);
    return get<CaseList>(`/api/staff/queue?${sp}`);
  },
  registerCase: (body: RegisterCaseIn) => send<CaseDetail>('POST', '/api/staff/cases', body),
  claim: (id: number, reason?: string) => send<CaseDetail>('POST', `/api/staff/cases/${id}/claim`, reason ? { reason } : {}),
  bulk: (body: BulkIn) => send<BulkOut>('POST', '/api/staff/bulk', body),
  filters: () => get<{ items: SavedFilter[] }>('/api/staff/filters'),
  saveFilter: (name: string, filters: Record<string, string>) => send<SavedFilter>('POST', '/api/staff/filters', { name, filters }),
  deleteFilter: (id: number) => send<{ ok: boolean }>('DELETE', `/api/staff/filters/${id}`),
  outOfTurn: () => get<OutOfTurn>('/api/staff/out-of-turn'),
  devSms: (mobile: string) => get<DevSms>(`/api/dev/sms?mobile=${encodeURIComponent(mobile)}`),
};
