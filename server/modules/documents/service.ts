/**
 * Issued documents: the PDF of one (rendered on first download from the content frozen at issue)
 * and the public verification of a code. The case a document belongs to is checked by the caller
 * (documents/routes.ts asks the case hub through a port), so this module knows no case rules.
 */
import { AppError } from '../../../common/errors.ts';
import { STATE_LABELS, type CaseState } from '../../../common/workflow.ts';
import type { Db } from '../../db/index.ts';
import type { Storage } from '../../platform/storage.ts';
import { renderNotice, type NoticeData } from './notice-pdf.ts';
import { normaliseVerifyCode } from './verify-code.ts';

/** What rendering a document needs besides the database. */
export interface DocumentEnv {
  storage: Storage;
  fonts: { regular?: string; bold?: string };
}

/** A document of a case, or DOCUMENT_NOT_FOUND. */
export async function issuedDocument(db: Db, caseId: number, docId: number) {
  const d = await db.selectFrom('documents').selectAll().where('id', '=', docId).where('case_id', '=', caseId).executeTakeFirst();
  if (!d) throw new AppError('DOCUMENT_NOT_FOUND');
  return d;
}

/**
 * The PDF of an issued document: stored bytes when it was rendered before, else rendered now from
 * the content frozen at issue, stored (content-addressed) and remembered on the row. Two first
 * downloads at once may both render; the first stored file is kept and served from then on.
 */
export async function documentPdf(
  db: Db,
  env: DocumentEnv,
  d: { id: number; file_sha: string | null; content: unknown },
  /** The business clock's time, printed as 生成时间. */
  now?: Date,
): Promise<Buffer | null> {
  if (d.file_sha) return env.storage.get(d.file_sha);
  if (!d.content) return null;
  const pdf = await renderNotice(d.content as NoticeData, env.fonts, { now });
  const sha = await env.storage.put(pdf);
  await db
    .insertInto('files')
    .values({ sha256: sha, size: pdf.length, mime: 'application/pdf' })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const kept = await db
    .updateTable('documents')
    .set({ file_sha: sha })
    .where('id', '=', d.id)
    .where('file_sha', 'is', null)
    .returning('file_sha')
    .executeTakeFirst();
  if (kept) return pdf;
  const first = await db.selectFrom('documents').select('file_sha').where('id', '=', d.id).executeTakeFirst();
  return first?.file_sha ? env.storage.get(first.file_sha) : pdf;
}

/** What the public verification page shows of a document: its non-personal facts and the case's state. */
export async function verifyDocument(db: Db, raw: string) {
  const code = normaliseVerifyCode(raw);
  if (!code) throw new AppError('DOCUMENT_NOT_FOUND', '验证码格式不正确，请核对后重新输入。');
  const d = await db
    .selectFrom('documents')
    .innerJoin('cases', 'cases.id', 'documents.case_id')
    .select(['documents.public_facts', 'cases.status'])
    .where('documents.verify_code', '=', code)
    .executeTakeFirst();
  if (!d) throw new AppError('DOCUMENT_NOT_FOUND');
  const f = d.public_facts as Record<string, string>;
  return {
    valid: true as const,
    title: f.title!,
    agencyName: f.agencyName!,
    itemName: f.itemName!,
    caseNo: f.caseNo!,
    docNo: f.docNo!,
    issuedOn: f.issuedOn!,
    applicantMasked: f.applicantMasked!,
    status: STATE_LABELS[d.status as CaseState] ?? d.status,
  };
}
