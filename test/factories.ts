/**
 * Factories for integration tests, in the spirit of Outline's test/factories.ts: each builds one
 * thing through the real HTTP API and creates whatever parents it needs that the test did not
 * bring (a registered citizen through test/client.ts, the citizen's registry record through
 * test/registry.ts when asked). A test states only what matters to it:
 *
 *   const { id, client } = await submittedCase({ server: s, item: 'DY-23', answers, person: { enrol, contributions } });
 *
 * Dates in fixtures are relative to the server's clock (test/clock.ts), never the machine's.
 */
import assert from 'node:assert/strict';
import type { TestServer } from './support.ts';
import { PDF_BYTES, registerCitizen, type Client } from './client.ts';
import { seedPerson } from './registry.ts';

/** A registered citizen (what registerCitizen returns). */
export type Citizen = Awaited<ReturnType<typeof registerCitizen>>;
type CitizenOpts = NonNullable<Parameters<typeof registerCitizen>[1]>;
type PersonInput = Parameters<typeof seedPerson>[1];

/** The agency of an item code's prefix (DY-23 → daye). */
const AGENCY_OF_PREFIX: Record<string, string> = { DY: 'daye', HC: 'haicheng', DL: 'dalian', FS: 'fushun', SD: 'shandong' };

export function agencyOfItem(item: string): string {
  const agency = AGENCY_OF_PREFIX[item.split('-')[0]!];
  if (!agency) throw new Error(`no agency for item ${item}: pass agency`);
  return agency;
}

export interface CaseOpts {
  server: TestServer;
  /** The item code, e.g. 'DY-23'. */
  item: string;
  /** Default: the agency of the item code's prefix. */
  agency?: string;
  answers?: Record<string, string>;
  /**
   * Which materials to upload (indices), as PDF_BYTES: default every material the form resolved
   * for the answers needs (applies 'yes'), read back after the draft is saved.
   */
  materials?: number[];
  /** An account that applies: a registered citizen, or options for registering a new one (default: a new citizen). */
  citizen?: Citizen | CitizenOpts;
  /**
   * Seed the applicant's registry record (test/registry.ts seedPerson) with the citizen's ID number
   * and name; agency defaults to the case's. Without it the applicant has no registry record.
   */
  person?: Omit<PersonInput, 'idNo' | 'name' | 'agency'> & { agency?: string };
  /** 代办: apply under this authorisation (the citizen must be its agent). */
  authorisationId?: number;
}

export interface BuiltCase {
  id: number;
  /** The case as the API returned it last (the submission's answer for submittedCase). */
  body: any;
  /** The applicant's session. */
  client: Client;
  citizen: Citizen;
  /** The registry person's id when `person` was given. */
  personId?: number;
}

function isCitizen(c: Citizen | CitizenOpts | undefined): c is Citizen {
  return Boolean(c && 'client' in c);
}

/** A draft with its materials uploaded (not submitted). */
export async function draftCase(o: CaseOpts): Promise<BuiltCase> {
  const agency = o.agency ?? agencyOfItem(o.item);
  const citizen = isCitizen(o.citizen) ? o.citizen : await registerCitizen(o.server, o.citizen);
  let personId: number | undefined;
  if (o.person) {
    const { agency: personAgency, ...rest } = o.person;
    personId = await seedPerson(o.server.dbh.db, {
      ...rest,
      idNo: citizen.idNo,
      name: citizen.user.name as string,
      agency: personAgency ?? agency,
    });
  }
  const c = citizen.client;
  const d = await c.post('/api/cases', {
    agencyCode: agency,
    itemCode: o.item,
    ...(o.answers ? { answers: o.answers } : {}),
    ...(o.authorisationId !== undefined ? { authorisationId: o.authorisationId } : {}),
  });
  assert.equal(d.status, 201, `draft ${o.item}: ${JSON.stringify(d.body)}`);
  const id = d.body.id as number;
  const indices =
    o.materials ?? (d.body.form.materials as { index: number; applies: string }[]).filter((m) => m.applies === 'yes').map((m) => m.index);
  for (const i of indices) {
    const up = await c.upload(id, i, `m${i}.pdf`, PDF_BYTES);
    assert.equal(up.status, 201, `upload ${o.item} material ${i}: ${JSON.stringify(up.body)}`);
  }
  const body = (await c.get(`/api/cases/${id}`)).body;
  return { id, body, client: c, citizen, personId };
}

/**
 * A submitted case built through the real API: (a citizen and a registry record when missing,)
 * a draft with the answers, an upload for each material needed, and the submission, which must
 * succeed (status 'submitted').
 */
export async function submittedCase(o: CaseOpts): Promise<BuiltCase & { caseNo: string }> {
  const draft = await draftCase(o);
  const sub = await draft.client.post(`/api/cases/${draft.id}/submit`);
  assert.equal(sub.status, 200, `submit ${o.item}: ${JSON.stringify(sub.body)}`);
  assert.equal(sub.body.status, 'submitted', `submit ${o.item}: ${JSON.stringify(sub.body)}`);
  return { ...draft, body: sub.body, caseNo: sub.body.caseNo as string };
}
