/**
 * 投诉: the complaints registered in the period (online or taken on a complaint phone), by what
 * they are about, and where they stand on the snapshot day: answered on time or late, or still
 * unanswered — and then whether already past the deadline (working days, per agency).
 */
import { sql } from 'kysely';
import { COMPLAINT_SUBJECTS, COMPLAINT_SUBJECT_LABELS, type ComplaintSubject } from '../../../../common/feedback.ts';
import { officeFilter, type PanelDef } from '../scope.ts';

interface Row {
  total: boolean;
  subject_kind: string | null;
  received: number;
  online: number;
  phone: number;
  answered: number;
  late: number;
  open: number;
  open_overdue: number;
}

export const complaintsPanel: PanelDef = {
  key: 'complaints',
  title: '投诉',
  tables: ['complaints-subject'],
  async run(s) {
    const res = await sql<Row>`
      select grouping(t.subject_kind) = 1 as total, t.subject_kind,
             count(*)::int as received,
             count(*) filter (where t.channel = 'online')::int as online,
             count(*) filter (where t.channel = 'phone')::int as phone,
             count(*) filter (where t.status = 'answered')::int as answered,
             count(*) filter (where t.status = 'answered' and t.answered_on > t.due_date)::int as late,
             count(*) filter (where t.status <> 'answered')::int as open,
             count(*) filter (where t.status <> 'answered' and t.due_date < ${s.today}::date)::int as open_overdue
      from complaints t
      where t.agency_code = ${s.agencyCode} and t.registered_on >= ${s.from}::date and t.registered_on <= ${s.to}::date ${officeFilter(s, 't')}
      group by grouping sets ((t.subject_kind), ())`.execute(s.db);
    const order = (k: string | null) => COMPLAINT_SUBJECTS.indexOf(k as ComplaintSubject);
    const rows = res.rows.filter((r) => !r.total).sort((a, b) => order(a.subject_kind) - order(b.subject_kind));
    const t = res.rows.find((r) => r.total) ?? { received: 0, online: 0, phone: 0, answered: 0, late: 0, open: 0, open_overdue: 0 };
    const cells = (r: Omit<Row, 'total' | 'subject_kind'>) => ({
      received: r.received,
      online: r.online,
      phone: r.phone,
      answered: r.answered,
      late: r.late,
      open: r.open,
      openOverdue: r.open_overdue,
      overdue: r.late + r.open_overdue,
    });
    const overdue = t.late + t.open_overdue;
    return {
      key: 'complaints',
      title: '投诉',
      description:
        '统计期间内登记的投诉（网上投诉和工作人员登记的电话投诉，按登记日期），按投诉对象（办件、服务大厅/窗口、工作人员、其他）分列，及截至今天的答复情况。' +
        '答复期限为本机构设定的工作日数（自登记之日起算，登记当日不计）。超期 = 晚于答复期限答复的（超期答复）+ 已过答复期限仍未答复的（逾期未答复）。' +
        '按窗口筛选时，只计投诉所涉办件的窗口或投诉所指的大厅。',
      kpis: [
        { key: 'complaints', label: '期间投诉', value: t.received, type: 'int', unit: '件' },
        { key: 'complaintsAnswered', label: '已答复', value: t.answered, type: 'int', unit: '件' },
        {
          key: 'complaintsOverdue',
          label: '投诉超期',
          value: overdue,
          type: 'int',
          unit: '件',
          note: overdue ? `超期答复 ${t.late} 件，逾期未答复 ${t.open_overdue} 件` : undefined,
        },
      ],
      tables: [
        {
          key: 'complaints-subject',
          title: '按投诉对象',
          columns: [
            { key: 'subject', label: '投诉对象', type: 'text' },
            { key: 'received', label: '收到', type: 'int' },
            { key: 'online', label: '其中网上', type: 'int' },
            { key: 'phone', label: '其中电话', type: 'int' },
            { key: 'answered', label: '已答复', type: 'int' },
            { key: 'late', label: '其中超期答复', type: 'int' },
            { key: 'open', label: '未答复', type: 'int' },
            { key: 'openOverdue', label: '其中逾期未答复', type: 'int' },
            { key: 'overdue', label: '超期合计', type: 'int' },
          ],
          rows: rows.map((r) => ({
            subject: COMPLAINT_SUBJECT_LABELS[r.subject_kind as ComplaintSubject] ?? r.subject_kind,
            ...cells(r),
          })),
          totals: { subject: '合计', ...cells(t) },
        },
      ],
    };
  },
};
