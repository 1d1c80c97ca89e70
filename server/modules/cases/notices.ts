/**
 * The written notices of case handling (行政许可法 §32: acceptance, 补正 and refusal are written,
 * dated and sealed). Built from the case and its item version, rendered to PDF, stored
 * content-addressed, and given a public verification code.
 */
import { AppError } from '../../../common/errors.ts';
import type { FormMaterial } from '../../../common/forms.ts';
import { CHANNEL_LABELS, type CaseChannel } from '../../../common/api-cases.ts';
import type { NoticeKind } from '../../../common/workflow.ts';
import type { Storage } from '../../platform/storage.ts';
import { newVerifyCode, type DocumentKind, type NoticeData, PROVISIONAL_NOTE } from '../documents/index.ts';
import { loadCalendar } from '../calendar/index.ts';
import type { Ctx } from '../../http/actor.ts';
import type { CaseRow } from './repository.ts';
import type { CaseItem } from './items.ts';
import { describeLimit, slaLimit } from './sla.ts';

export interface NoticeEnv {
  storage: Storage;
  fonts: { regular?: string; bold?: string };
  publicUrl: string;
}

const TITLES: Record<NoticeKind, string> = {
  receipt: '受理回执',
  correction: '补正材料通知书',
  tolerance: '容缺受理通知书',
  refusal: '不予受理通知书',
  completion: '办结通知书',
};

const FORM_LABEL: Record<string, string> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件及复印件',
  original_or_copy: '原件或复印件',
  electronic: '电子材料',
  photo: '照片',
  form: '表格',
};

function cnDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

const APPEAL = (agency: string) =>
  `申请人如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。如有疑问，请与${agency}联系。`;

export async function issueNotice(
  ctx: Ctx,
  env: NoticeEnv,
  c: CaseRow,
  ci: CaseItem,
  kind: NoticeKind,
  extra: { action: string; missing: FormMaterial[]; effectSummary?: string },
) {
  if (!c.case_no) throw new AppError('INTERNAL', '办件尚未编号，不能出具文书。');
  const { docNo, verifyCode, verifyUrl } = await nextDocNo(ctx, env, c);
  const submitted = c.submitted_at
    ? cnDate(new Date(new Date(c.submitted_at).getTime() + 8 * 3600_000).toISOString().slice(0, 10))
    : cnDate(ctx.today);
  const channel = CHANNEL_LABELS[c.channel as CaseChannel] ?? c.channel;
  const limitText = describeLimit(slaLimit(ci.item.timeLimit), ci.item.timeLimit.text);
  const materialRows = (list: { index: number; name: string; note?: string }[]) =>
    list.map((m) => {
      const mat = ci.item.materials[m.index];
      return {
        name: m.name,
        form: mat?.form ? FORM_LABEL[mat.form] : undefined,
        count: mat?.count ? `${mat.count}份` : undefined,
        note: m.note ?? mat?.note,
      };
    });
  let title = TITLES[kind];
  const paragraphs: string[] = [];
  const data: Partial<NoticeData> = {};
  const reasons = (c.reasons as { code?: string; text: string }[] | null) ?? [];
  // A date counted through a provisional year (预计) says so, and that the published arrangement decides.
  const cal = c.due_date || c.tolerance_due ? await loadCalendar(ctx.db, ci.regionCode) : null;
  const provisional = (d: string | null) => Boolean(d && cal?.provisionalBetween(ctx.today, d));
  const dateText = (d: string) => (provisional(d) ? `预计${cnDate(d)}${PROVISIONAL_NOTE}` : cnDate(d));

  switch (kind) {
    case 'receipt': {
      paragraphs.push(
        extra.action === 'deem_accepted'
          ? `您于${submitted}通过${channel}提交的“${ci.name}”申请，本机关未在收到申请材料之日起5个工作日内一次性告知需要补正的全部内容。依照《中华人民共和国行政许可法》第三十二条的规定，自收到申请材料之日起即为受理。`
          : `您于${submitted}通过${channel}提交的“${ci.name}”申请，经审查，申请材料齐全、符合法定形式，本机关决定予以受理。`,
      );
      paragraphs.push(
        c.due_date
          ? provisional(c.due_date)
            ? `本事项承诺办结时限为${limitText}，将于${dateText(c.due_date)}前办结。`
            : `本事项承诺办结时限为${limitText}，将于${cnDate(c.due_date)}前办结（遇法定节假日顺延）。`
          : `本事项办结时限：${ci.item.timeLimit.text}。`,
      );
      const mats = await ctx.db
        .selectFrom('case_materials')
        .select(['material_index', 'material_name'])
        .where('case_id', '=', c.id)
        .where('removed_at', 'is', null)
        .execute();
      const seen = new Set<number>();
      data.materialsTitle = '已收取的申请材料';
      data.materials = materialRows(
        mats
          .filter((m) => (seen.has(m.material_index) ? false : (seen.add(m.material_index), true)))
          .map((m) => ({ index: m.material_index, name: m.material_name })),
      );
      if (c.due_date) data.deadline = { label: '承诺办结日期', date: c.due_date, provisional: provisional(c.due_date) };
      break;
    }
    case 'correction': {
      const corr = c.correction as { materials: { index: number; name: string; note?: string }[]; note?: string } | null;
      paragraphs.push(
        `您于${submitted}提交的“${ci.name}”申请，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知您需要补正的全部材料如下，请补正后重新提交。`,
      );
      if (corr?.note) paragraphs.push(`补正说明：${corr.note}`);
      paragraphs.push(
        extra.action === 'request_more'
          ? '补正期间办理时限暂停计算，自收到齐全的补正材料之日起继续计算。'
          : '补正材料齐全、符合法定形式的，本机关将予以受理。您可以通过“我的办件”在线上传补正材料，无需到大厅。',
      );
      data.materialsTitle = '需要补正的材料（一次性告知）';
      data.materials = materialRows(corr?.materials ?? []);
      break;
    }
    case 'tolerance': {
      const tol = (c.tolerance_materials as { index: number; name: string }[] | null) ?? [];
      paragraphs.push(`您于${submitted}通过${channel}提交的“${ci.name}”申请，主要申请材料齐全，次要材料暂缺。经您书面承诺，本机关决定予以容缺受理。`);
      paragraphs.push(`请于${dateText(c.tolerance_due!)}前补交下列容缺材料。逾期未补交的，本机关将终止办理。`);
      if (c.due_date) paragraphs.push(`本事项承诺办结时限为${limitText}，自受理之日起计算，将于${dateText(c.due_date)}前办结。`);
      data.materialsTitle = '容缺材料';
      data.materials = materialRows(tol);
      data.deadline = { label: '容缺材料补交期限', date: c.tolerance_due!, provisional: provisional(c.tolerance_due) };
      data.pledge = {
        text: `本人自愿申请“${ci.name}”容缺受理，承诺所提交的申请材料真实有效，并在规定期限内补交下列容缺材料。如未按期补交或所作承诺不实，愿意承担相应责任，本机关可终止办理，并依法记入信用记录。`,
        materials: tol.map((t) => t.name),
        deadline: c.tolerance_due!,
        provisional: provisional(c.tolerance_due),
      };
      break;
    }
    case 'refusal': {
      paragraphs.push(`您于${submitted}提交的“${ci.name}”申请，经审查，本机关决定不予受理。理由如下：`);
      data.reasons = reasons;
      data.appeal = APPEAL(ci.agencyName);
      break;
    }
    case 'completion': {
      if (c.status === 'approved') {
        title = '办结通知书';
        paragraphs.push(`您申请的“${ci.name}”（办件编号 ${c.case_no}）已于${cnDate(ctx.today)}办结，办理结果：准予。`);
        if (ci.item.results.length) paragraphs.push(`办理结果：${ci.item.results.join('；')}。`);
        if (extra.effectSummary) paragraphs.push(extra.effectSummary);
      } else if (c.status === 'denied') {
        title = '办结通知书（不予）';
        paragraphs.push(`您申请的“${ci.name}”（办件编号 ${c.case_no}）已于${cnDate(ctx.today)}办结，经审核，决定不予办理。理由如下：`);
        data.reasons = reasons;
        data.appeal = APPEAL(ci.agencyName);
      } else {
        title = '终止办理通知书';
        const tol = (c.tolerance_materials as { name: string }[] | null) ?? [];
        paragraphs.push(
          extra.action === 'terminate'
            ? `您申请的“${ci.name}”（办件编号 ${c.case_no}）为容缺受理，您未在承诺期限（${c.tolerance_due ? cnDate(c.tolerance_due) : ''}）内补交${tol.map((t) => `“${t.name}”`).join('、')}，本机关决定终止办理。`
            : `您申请的“${ci.name}”（办件编号 ${c.case_no}）已于${cnDate(ctx.today)}终止办理。`,
        );
        data.appeal = APPEAL(ci.agencyName);
      }
      break;
    }
  }

  return storeDocument(ctx, env, c, ci, kind, title, docNo, verifyCode, verifyUrl, { paragraphs, ...data });
}

/** A result document of the item (e.g. 《参保凭证》) issued at completion from the registry. */
export async function issueResult(
  ctx: Ctx,
  env: NoticeEnv,
  c: CaseRow,
  ci: CaseItem,
  r: { title: string; paragraphs: string[]; rows?: { name: string; form?: string; count?: string; note?: string }[]; rowsTitle?: string },
) {
  const { docNo, verifyCode, verifyUrl } = await nextDocNo(ctx, env, c);
  return storeDocument(ctx, env, c, ci, 'result', r.title, docNo, verifyCode, verifyUrl, {
    paragraphs: r.paragraphs,
    materials: r.rows,
    materialsTitle: r.rowsTitle,
  });
}

async function nextDocNo(ctx: Ctx, env: NoticeEnv, c: CaseRow) {
  const count = await ctx.db
    .selectFrom('documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', c.id)
    .executeTakeFirstOrThrow();
  const docNo = `${c.case_no}-${String(Number(count.n) + 1).padStart(2, '0')}`;
  const verifyCode = newVerifyCode();
  const verifyUrl = `${env.publicUrl.replace(/\/$/, '')}/verify/${verifyCode}`;
  return { docNo, verifyCode, verifyUrl };
}

async function storeDocument(
  ctx: Ctx,
  env: NoticeEnv,
  c: CaseRow,
  ci: CaseItem,
  kind: DocumentKind,
  title: string,
  docNo: string,
  verifyCode: string,
  verifyUrl: string,
  data: Partial<NoticeData> & { paragraphs: string[] },
) {
  const notice: NoticeData = {
    kind,
    title,
    agencyName: ci.agencyName,
    sealText: '业务专用章',
    caseNo: c.case_no ?? '',
    docNo,
    applicantName: c.applicant_name,
    itemName: ci.name,
    issuedOn: ctx.today,
    ...data,
    verify: { code: verifyCode, url: verifyUrl },
    contact: ci.item.consultPhones.length ? `咨询电话：${ci.item.consultPhones.join('、')}` : undefined,
  };
  // The content is frozen now; the PDF is rendered from it on the first download (documentPdf).
  const row = await ctx.db
    .insertInto('documents')
    .values({
      case_id: c.id,
      agency_code: c.agency_code,
      kind,
      title,
      doc_no: docNo,
      verify_code: verifyCode,
      file_sha: null,
      content: JSON.stringify(notice),
      issued_on: ctx.today,
      issued_at: ctx.now,
      // Only non-personal facts are shown on the public verification page.
      public_facts: JSON.stringify({
        title,
        agencyName: ci.agencyName,
        itemName: ci.name,
        caseNo: c.case_no ?? '',
        docNo,
        issuedOn: ctx.today,
        applicantMasked: maskName(c.applicant_name),
      }),
    })
    .returning(['id', 'title', 'doc_no', 'verify_code'])
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), title: row.title, docNo: row.doc_no, verifyCode: row.verify_code };
}
