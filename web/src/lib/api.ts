/** Typed API client: response types come from common/api.ts. */
import type { AgencyDetail, AgencySummary, ItemOut, SearchOut } from '../../../common/api.ts';
import type { ErrorBody } from '../../../common/errors.ts';

export type { AgencyDetail, AgencySummary, ItemOut, SearchOut };
export interface OfficeOut {
  id: number;
  code: string;
  seq: number;
  name: string;
  kind: string;
  phones: string[];
  faxes: string[];
  emails: string[];
  urls: string[];
  address?: string;
  postalAddress?: string;
  postcode?: string;
  hours?: string;
  appointmentPhones: { business: string; phone: string }[];
  note?: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function get<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError('NETWORK', '网络连接失败，请检查网络后重试。', 0);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ErrorBody | null;
    throw new ApiError(body?.error.code ?? 'HTTP_' + res.status, body?.error.message ?? `请求失败（${res.status}）`, res.status);
  }
  return (await res.json()) as T;
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
};
