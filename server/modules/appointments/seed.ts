/**
 * Load data/appointments/<agency>.yaml into an agency that has no appointment settings yet (the
 * catalogue must be loaded first: offices are matched by code). Idempotent: an agency with
 * settings is left alone, so an admin's later edits are never overwritten.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { apptFile, type ApptFile } from '../../../common/api-appointments.ts';
import { periodProblems } from '../../../common/appointments.ts';
import type { Database } from '../../db/index.ts';

export function parseApptFile(text: string, name: string): ApptFile {
  const res = apptFile.safeParse(parse(text));
  if (!res.success) throw new Error(`${name}: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const f = res.data;
  const codes = new Set(f.businessTypes.map((b) => b.code));
  const problems: string[] = [];
  if (codes.size !== f.businessTypes.length) problems.push('businessTypes: 业务类型代码重复');
  f.offices.forEach((o, i) => {
    for (const p of periodProblems(o.hours)) problems.push(`offices.${i}.${p.path}: ${p.message}`);
    for (const s of o.services) if (!codes.has(s.business)) problems.push(`offices.${i}.services: 未知业务类型 ${s.business}`);
  });
  if (problems.length) throw new Error(`${name}: ${problems.join('; ')}`);
  return f;
}

export async function seedAppointments(db: Database, dataDir: string): Promise<{ loaded: string[]; skipped: string[] }> {
  const report = { loaded: [] as string[], skipped: [] as string[] };
  const dir = path.join(dataDir, 'appointments');
  if (!existsSync(dir)) return report;
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.yaml'))
    .sort()) {
    const file = parseApptFile(readFileSync(path.join(dir, f), 'utf8'), `data/appointments/${f}`);
    const agency = await db.selectFrom('agencies').select('code').where('code', '=', file.agency).executeTakeFirst();
    const have = await db.selectFrom('appt_settings').select('agency_code').where('agency_code', '=', file.agency).executeTakeFirst();
    if (!agency || have) {
      report.skipped.push(file.agency);
      continue;
    }
    await db.transaction().execute(async (trx) => {
      const s = file.settings;
      const inserted = await trx
        .insertInto('appt_settings')
        .values({
          agency_code: file.agency,
          lead_working_days: s.leadWorkingDays,
          horizon_working_days: s.horizonWorkingDays,
          max_open: s.maxOpenBookings,
          no_show_limit: s.noShowLimit,
          no_show_window_days: s.noShowWindowDays,
          no_show_ban_days: s.noShowBanDays,
          example: s.example,
          source: s.source ?? null,
          updated_at: new Date(),
        })
        .onConflict((oc) => oc.column('agency_code').doNothing())
        .returning('agency_code')
        .executeTakeFirst();
      if (!inserted) return; // another instance seeded it first
      for (const [i, b] of file.businessTypes.entries()) {
        await trx
          .insertInto('appt_business_types')
          .values({
            agency_code: file.agency,
            code: b.code,
            seq: i + 1,
            name: b.name,
            item_codes: b.items,
            source: b.source ?? null,
            example: b.example,
          })
          .execute();
      }
      for (const o of file.offices) {
        const office = await trx
          .selectFrom('offices')
          .select('id')
          .where('agency_code', '=', file.agency)
          .where('code', '=', o.office)
          .executeTakeFirst();
        if (!office) throw new Error(`data/appointments/${f}: 机构 ${file.agency} 没有办事地点 ${o.office}`);
        await trx
          .insertInto('appt_offices')
          .values({
            office_id: office.id,
            agency_code: file.agency,
            enabled: true,
            hours: JSON.stringify(o.hours),
            hours_example: o.hoursExample,
            note: o.note ?? null,
            updated_at: new Date(),
          })
          .execute();
        for (const sv of o.services) {
          await trx
            .insertInto('appt_services')
            .values({
              office_id: office.id,
              business_code: sv.business,
              slot_minutes: sv.slotMinutes,
              capacity: sv.capacity,
              active: true,
              example: sv.example,
            })
            .execute();
        }
      }
    });
    report.loaded.push(file.agency);
  }
  return report;
}
