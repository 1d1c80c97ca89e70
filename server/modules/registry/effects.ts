/**
 * Completing a case changes the registry in the same transaction as the completion: 参保登记
 * creates the enrolment, 变更登记 updates the record with history, 《参保凭证》 is issued from the
 * registry, 个人账户一次性支取 pays out the balance, 异地就医备案 creates the filing and
 * 门诊慢特病认定 adds the certification. Failing here rolls the completion back with a clear error.
 */
import { AppError } from '../../../common/errors.ts';
import { formatMoney } from '../../../common/rules/index.ts';
import { enrolmentTypeOf, itemEffect, remoteFilingKind, type ItemEffect } from '../../../common/effects.ts';
import { addNaturalDays, addMonths } from '../../../common/calendar.ts';
import { ENROLMENT_STATUS_LABELS, ENROLMENT_TYPE_LABELS, type EnrolmentStatus, type EnrolmentType } from '../../../common/registry.ts';
import { actorLabel, type Ctx } from '../../http/actor.ts';
import type { CaseItem, CaseRow } from '../cases/index.ts';
import { ensurePerson, personByIdNo, recordHistory, snapshot, type Change } from './repository.ts';
import { computeBenefit } from '../benefits/index.ts';
import { completeTransfer } from './transfer.ts';

export interface EffectResult {
  effect: ItemEffect;
  summary: string;
  /** A result document to issue (e.g. 《参保凭证》): title and body paragraphs. */
  result?: { title: string; paragraphs: string[]; rows?: { name: string; form?: string; count?: string; note?: string }[]; rowsTitle?: string };
}

const yuan = (fen: number) => formatMoney(fen / 100);
const EMPLOYMENTS = new Set(['employed', 'flexible', 'retired']);

/** 《参保凭证》 built from the registry: the person's enrolments and paid months, as of today. */
async function certificateOf(ctx: Ctx, applicant: { idNo: string }, effect: ItemEffect): Promise<EffectResult> {
  const p = await personByIdNo(ctx.db, applicant.idNo);
  if (!p) throw new AppError('GUARD_FAILED', '参保信息库中没有该申请人的参保记录，不能出具《参保凭证》。');
  const enrols = await ctx.db.selectFrom('enrolments').selectAll().where('person_id', '=', p.id).orderBy('start_date').execute();
  const months = await ctx.db
    .selectFrom('contributions')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('month').as('first'), (eb) => eb.fn.max('month').as('last')])
    .where('person_id', '=', p.id)
    .where('paid', '=', true)
    .groupBy('type')
    .execute();
  return {
    effect,
    summary: '已出具《参保凭证》。',
    result: {
      title: '参保凭证',
      paragraphs: [
        `兹证明 ${p.name}（公民身份号码 ${p.id_no.slice(0, 6)}********${p.id_no.slice(-4)}）在本机构的参保情况如下，截至${ctx.today}。`,
        ...months.map((m) => `${ENROLMENT_TYPE_LABELS[m.type as EnrolmentType] ?? m.type}：已缴费 ${Number(m.n)} 个月（${m.first} 至 ${m.last}）。`),
        '本凭证由参保信息库生成，可扫描二维码核验真伪。',
      ],
      rowsTitle: '参保记录',
      rows: enrols.map((e) => ({
        name: `${ENROLMENT_TYPE_LABELS[e.type as EnrolmentType] ?? e.type}（${e.agency_code}）`,
        form: ENROLMENT_STATUS_LABELS[e.status as EnrolmentStatus] ?? e.status,
        note: `${e.start_date} 起${e.end_date ? `，至 ${e.end_date}` : ''}`,
      })),
    },
  };
}

export async function applyCompletion(ctx: Ctx, c: CaseRow, ci: CaseItem): Promise<EffectResult | null> {
  const effect = itemEffect(ci.item as { name: string; national?: number; effect?: string });
  if (!effect) return null;
  const answers = c.answers as Record<string, string>;
  const ch: Change = { at: ctx.now, effectiveFrom: ctx.today, actorLabel: actorLabel(ctx.actor), caseId: c.id };
  const applicant = { idNo: c.applicant_id_no, name: c.applicant_name, phone: c.applicant_phone || null };

  switch (effect) {
    case 'enrol_person': {
      const type: EnrolmentType = enrolmentTypeOf(ci.name);
      const personId = await ensurePerson(ctx.db, ch, applicant);
      const open = await ctx.db
        .selectFrom('enrolments')
        .selectAll()
        .where('person_id', '=', personId)
        .where('type', '=', type)
        .where('status', '=', 'active')
        .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', ctx.today)]))
        .executeTakeFirst();
      if (open)
        throw new AppError('GUARD_FAILED', `申请人已于${open.start_date}参加${ENROLMENT_TYPE_LABELS[type]}（${open.agency_code}），不能重复参保。`);
      let unitId: number | null = null;
      if (type === 'employee' && answers.unitUscc) {
        const u = await ctx.db.selectFrom('units').select('id').where('uscc', '=', answers.unitUscc.toUpperCase()).executeTakeFirst();
        unitId = u ? Number(u.id) : null;
      }
      if (type === 'employee' && unitId === null && c.unit_id !== null) unitId = Number(c.unit_id);
      const row = await ctx.db
        .insertInto('enrolments')
        .values({
          person_id: personId,
          agency_code: c.agency_code,
          type,
          unit_id: unitId,
          status: 'active',
          start_date: ctx.today,
          end_date: null,
          case_id: c.id,
          // 人员类别 (在职/灵活就业/退休) as the application states it, so later rules read it from the registry.
          employment: type === 'employee' && EMPLOYMENTS.has(answers.employment ?? '') ? answers.employment! : null,
        })
        .returning(['id', 'employment'])
        .executeTakeFirstOrThrow();
      await recordHistory(ctx.db, ch, 'enrolment', row.id, personId, null, {
        type,
        status: 'active',
        start: ctx.today,
        agency: c.agency_code,
        unitId,
        ...(row.employment ? { employment: row.employment } : {}),
      });
      return { effect, summary: `已登记${ENROLMENT_TYPE_LABELS[type]}，自${ctx.today}起参保。` };
    }
    case 'enrol_unit':
    case 'change_unit': {
      const unitId = c.unit_id ?? null;
      if (unitId === null) throw new AppError('GUARD_FAILED', '该办件没有关联单位账户，请由单位经办人账号申请或在申请表中填写统一社会信用代码。');
      const before = await ctx.db.selectFrom('units').selectAll().where('id', '=', unitId).executeTakeFirstOrThrow();
      const patch = {
        agency_code: c.agency_code,
        status: 'normal',
        ...(answers.unitName ? { name: answers.unitName } : {}),
        ...(answers.legalRep ? { legal_rep: answers.legalRep } : {}),
      };
      await ctx.db.updateTable('units').set(patch).where('id', '=', unitId).execute();
      await recordHistory(ctx.db, ch, 'unit', unitId, null, { name: before.name, legalRep: before.legal_rep, agency: before.agency_code }, patch);
      return { effect, summary: effect === 'enrol_unit' ? `单位 ${before.name} 已在本机构登记参保。` : `单位 ${before.name} 的参保信息已变更。` };
    }
    case 'change_person': {
      const p = await personByIdNo(ctx.db, applicant.idNo);
      if (!p) throw new AppError('GUARD_FAILED', '参保信息库中没有该申请人，无法变更，请先办理参保登记。');
      const patch: Record<string, string> = {};
      if (applicant.phone && applicant.phone !== p.phone) patch.phone = applicant.phone;
      if (answers.newName && answers.newName !== p.name) patch.name = answers.newName;
      if (answers.residencePermitRegion && /^\d{6}$/.test(answers.residencePermitRegion))
        patch.residence_permit_region = answers.residencePermitRegion;
      if (Object.keys(patch).length) {
        await ctx.db
          .updateTable('persons')
          .set({ ...patch, updated_at: ctx.now })
          .where('id', '=', p.id)
          .execute();
        await recordHistory(
          ctx.db,
          ch,
          'person',
          p.id,
          Number(p.id),
          Object.fromEntries(Object.keys(patch).map((k) => [k, (p as Record<string, unknown>)[k]])),
          patch,
        );
      }
      return { effect, summary: Object.keys(patch).length ? `已变更：${Object.keys(patch).join('、')}。` : '参保信息无变化。' };
    }
    case 'certificate':
      return certificateOf(ctx, applicant, effect);
    case 'account_payout': {
      const p = await personByIdNo(ctx.db, applicant.idNo);
      const acct = p
        ? await ctx.db
            .selectFrom('personal_accounts')
            .selectAll()
            .where('person_id', '=', p.id)
            .where('agency_code', '=', c.agency_code)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      if (!p || !acct || Number(acct.balance_fen) <= 0) throw new AppError('GUARD_FAILED', '该参保人在本机构的个人账户没有余额，无需支取。');
      const amount = Number(acct.balance_fen);
      await ctx.db
        .updateTable('personal_accounts')
        .set({ balance_fen: 0 })
        .where('person_id', '=', p.id)
        .where('agency_code', '=', c.agency_code)
        .execute();
      await ctx.db
        .insertInto('account_ledger')
        .values({
          person_id: p.id,
          agency_code: c.agency_code,
          at: ctx.now,
          amount_fen: -amount,
          balance_after_fen: 0,
          kind: 'payout',
          case_id: c.id,
          note: ci.name,
        })
        .execute();
      await ctx.db
        .insertInto('payments')
        .values({
          case_id: c.id,
          person_id: p.id,
          agency_code: c.agency_code,
          kind: 'account_payout',
          amount_fen: amount,
          bank_account: answers.bankAccount ?? null,
          trace: JSON.stringify([{ step: '个人账户余额', value: yuan(amount) }]),
          created_at: ctx.now,
        })
        .execute();
      await recordHistory(ctx.db, ch, 'personal_account', `${p.id}/${c.agency_code}`, Number(p.id), { balance: amount }, { balance: 0 });
      return { effect, summary: `个人账户余额 ${yuan(amount)} 已一次性支取，支付指令已生成。` };
    }
    case 'remote_filing': {
      const personId = await ensurePerson(ctx.db, ch, applicant);
      const kind = remoteFilingKind(ci.name);
      const temporary = kind === 'referral' || kind === 'emergency' || kind === 'other_temporary';
      // Temporary filings are valid at least 6 months; long-term ones until cancelled.
      const validTo = temporary ? addNaturalDays(addMonths(ctx.today, 6), -1) : null;
      // 承诺制 (a pledge instead of proof): the proof is due within 6 months (海城's rule; 大冶's 承诺制 item question).
      const pledgeDue = answers.proof === 'pledge' || answers.commitment === 'yes' ? addMonths(ctx.today, 6) : null;
      const destination = answers.destination?.trim() || '（申请表未填写就医地）';
      const row = await ctx.db
        .insertInto('remote_filings')
        .values({
          person_id: personId,
          agency_code: c.agency_code,
          kind,
          destination,
          valid_from: ctx.today,
          valid_to: validTo,
          pledge_due: pledgeDue,
          case_id: c.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordHistory(ctx.db, ch, 'remote_filing', row.id, personId, null, { kind, destination, validFrom: ctx.today, validTo, pledgeDue });
      return {
        effect,
        summary: `异地就医备案已生效：${destination}，${validTo ? `有效期至 ${validTo}` : '长期有效'}${pledgeDue ? `；承诺补交证明材料期限 ${pledgeDue}` : ''}。`,
      };
    }
    case 'chronic_cert': {
      const personId = await ensurePerson(ctx.db, ch, applicant);
      const disease = answers.disease?.trim();
      if (!disease) throw new AppError('GUARD_FAILED', '申请表没有填写认定的病种。');
      const row = await ctx.db
        .insertInto('chronic_certs')
        .values({ person_id: personId, agency_code: c.agency_code, disease, valid_from: ctx.today, valid_to: null, case_id: c.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordHistory(ctx.db, ch, 'chronic_cert', row.id, personId, null, { disease, from: ctx.today });
      return { effect, summary: `门诊慢特病“${disease}”已认定，自${ctx.today}起享受待遇。` };
    }
    case 'maternity_allowance':
    case 'maternity_medical':
    case 'reimbursement': {
      const snap = await snapshot(ctx.db, applicant.idNo, c.agency_code, ctx.today);
      const bill = await ctx.db.selectFrom('case_bills').select('lines').where('case_id', '=', c.id).executeTakeFirst();
      const outcome = await computeBenefit(ctx.db, {
        agency: c.agency_code,
        itemCode: c.item_code,
        answers,
        snapshot: snap,
        asOf: ctx.today,
        bill: bill?.lines ?? null,
      });
      if (!outcome) return null;
      if (!outcome.result) throw new AppError('GUARD_FAILED', `无法核定待遇金额：${outcome.problem}`);
      if (outcome.result.example)
        throw new AppError(
          'GUARD_FAILED',
          `“${outcome.label}”的参数是示例参数（种子未载明），不能据此支付；请机构管理员录入本机构公布的起付线、报销比例和封顶线。`,
        );
      const personId = await ensurePerson(ctx.db, ch, applicant);
      const amountFen = Math.round(outcome.result.amount * 100);
      await ctx.db
        .insertInto('payments')
        .values({
          case_id: c.id,
          person_id: personId,
          agency_code: c.agency_code,
          kind: outcome.benefit,
          amount_fen: amountFen,
          bank_account: answers.bankAccount ?? null,
          trace: JSON.stringify(outcome.result.trace),
          created_at: ctx.now,
        })
        .execute();
      await recordHistory(ctx.db, ch, 'payment', c.id, personId, null, { benefit: outcome.benefit, amount: amountFen });
      return {
        effect,
        summary: `${outcome.label}核定 ${yuan(amountFen)}，支付指令已生成${answers.bankAccount ? `（账户尾号 ${answers.bankAccount.slice(-4)}）` : ''}。`,
      };
    }
    case 'transfer':
      // 医保关系转移 (转出, 海城 HC-12): the person, already 停保 here, takes a 《参保凭证》 to the new
      // area, whose agency then runs the transfer (联系函 → 信息表) as the destination.
      if (answers.direction === 'out') {
        const cert = await certificateOf(ctx, applicant, effect);
        return { ...cert, summary: '医保关系转出：已出具《参保凭证》，请持凭证到转入地医保经办机构申请接续。' };
      }
      return { effect, summary: await completeTransfer(ctx, c) };
    default:
      return null;
  }
}
