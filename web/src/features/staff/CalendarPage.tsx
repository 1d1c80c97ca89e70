/**
 * 工作日历管理: one region's working-day calendar for a year as 12 month grids, the version in
 * force and where it resolves from, the version history, and — for a system admin, or an agency
 * admin in their agency's own region — saving the year's lists as a new version.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { api, asApiError, send, type UserOut } from '../../lib/api.ts';
import type { CalendarStatusOut, CalendarVersionsOut, CalendarYearIn, CalendarYearOut } from '../../../../common/api-calendar.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime, todayChina } from '../../lib/format.ts';
import { ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';

const NATIONAL = '000000';
const FIRST_YEAR = 2020;
/** Years to choose from: up to a year past the provisional horizon (the server refuses nothing an admin enters). */
const LAST_YEAR = Number(todayChina().slice(0, 4)) + 4;
const YEARS = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
const REGION_RE = /^\d{6}$/;
/** Monday-first week. */
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

type DayKind = CalendarYearOut['months'][number]['days'][number]['kind'];
/** Each kind has its own mark so the grid does not rely on colour alone. */
const KINDS: Record<DayKind, { label: string; mark: string }> = {
  workday: { label: '工作日', mark: '' },
  weekend: { label: '周末', mark: '末' },
  holiday: { label: '法定节假日', mark: '假' },
  makeup: { label: '调休上班', mark: '班' },
};
const SOURCE_LABELS: Record<string, string> = {
  'chinese-days': '国家公布（随系统导入）',
  admin: '管理员录入',
  provisional: '预计（放假安排公布前按法定节假日推算）',
};
const sourceLabel = (s: string) => SOURCE_LABELS[s] ?? s;

type Lists = { holidays: CalendarYearIn['holidays']; workdays: CalendarYearIn['workdays'] };
type ListName = keyof Lists;
const LIST_TITLES: Record<ListName, string> = { holidays: '节假日', workdays: '调休上班日' };

const calUrl = (region: string, year: number, suffix = '') => `/api/calendar/${region}/${year}${suffix}`;

function initialParams(): { region: string | null; year: number } {
  const sp = new URLSearchParams(location.search);
  const r = sp.get('region');
  const y = Number(sp.get('year'));
  const thisYear = Number(todayChina().slice(0, 4));
  const year = Number.isInteger(y) && y >= FIRST_YEAR && y <= LAST_YEAR ? y : Math.min(LAST_YEAR, Math.max(FIRST_YEAR, thisYear));
  return { region: r && REGION_RE.test(r) ? r : null, year };
}

export function CalendarPage() {
  return <RequireLogin staff>{(me) => <CalendarAdmin me={me} />}</RequireLogin>;
}

interface Loaded {
  region: string;
  year: number;
  cal: CalendarYearOut | null;
  /** The 422 CALENDAR_NOT_COVERED message when the year has no data for this region. */
  notCovered: string | null;
  versions: CalendarVersionsOut | null;
  /** The history of the region the year is inherited from, when the region has no own version. */
  inheritedVersions: CalendarVersionsOut | null;
  versionsError: string;
}

function CalendarAdmin({ me }: { me: UserOut }) {
  const fid = useId();
  const isSysadmin = me.roles.includes('sysadmin');
  const isAgencyAdmin = me.roles.includes('agency_admin');
  const [agencyRegion, setAgencyRegion] = useState<string | null>(null);
  const [regionNames, setRegionNames] = useState<Map<string, string>>(new Map([[NATIONAL, '全国']]));
  const [init] = useState(initialParams);
  // What the selection form shows, and what was last applied (loaded).
  const [regionDraft, setRegionDraft] = useState(init.region ?? '');
  const [yearDraft, setYearDraft] = useState(init.year);
  const [regionErr, setRegionErr] = useState('');
  const [applied, setApplied] = useState<{ region: string; year: number } | null>(null);
  const [data, setData] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<{ region: string; year: number; version: number; recompute: number } | null>(null);
  const [status, setStatus] = useState<CalendarStatusOut | null>(null);
  const dirtyRef = useRef(false);
  const reqRef = useRef(0);
  const editHeadRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = '工作日历管理 · 工作台';
  }, []);

  // Region names for labels, and the staff's own agency region (the default and an agency admin's scope).
  useEffect(() => {
    let live = true;
    api.agencies().then(
      (list) => {
        if (!live) return;
        const names = new Map<string, string>([[NATIONAL, '全国']]);
        for (const a of list) {
          names.set(a.region.code, a.region.name);
          const prov = `${a.region.code.slice(0, 2)}0000`;
          if (!names.has(prov)) names.set(prov, a.region.province);
        }
        setRegionNames(names);
      },
      () => undefined,
    );
    const fallback = () => {
      if (!live) return;
      setRegionDraft((r) => r || NATIONAL);
      setApplied((a) => a ?? { region: init.region ?? NATIONAL, year: init.year });
    };
    if (me.agencyCode)
      api.agency(me.agencyCode).then((a) => {
        if (!live) return;
        setAgencyRegion(a.region.code);
        setRegionDraft((r) => r || a.region.code);
        setApplied((x) => x ?? { region: init.region ?? a.region.code, year: init.year });
      }, fallback);
    else fallback();
    return () => {
      live = false;
    };
  }, [me.agencyCode, init]);

  const load = useCallback(async (region: string, year: number) => {
    const req = ++reqRef.current;
    setLoading(true);
    setError('');
    const [c, v] = await Promise.allSettled([
      send<CalendarYearOut>('GET', calUrl(region, year)),
      send<CalendarVersionsOut>('GET', calUrl(region, year, '/versions')),
    ]);
    if (req !== reqRef.current) return;
    const next: Loaded = { region, year, cal: null, notCovered: null, versions: null, inheritedVersions: null, versionsError: '' };
    if (c.status === 'fulfilled') next.cal = c.value;
    else {
      const e = asApiError(c.reason);
      if (e.code === 'CALENDAR_NOT_COVERED') next.notCovered = e.message;
      else {
        setError(e.message);
        setData(null);
        setLoading(false);
        return;
      }
    }
    if (v.status === 'fulfilled') next.versions = v.value;
    else if (!next.notCovered) next.versionsError = asApiError(v.reason).message;
    const from = next.versions?.inheritedFrom;
    if (from && from !== region) {
      try {
        next.inheritedVersions = await send<CalendarVersionsOut>('GET', calUrl(from, year, '/versions'));
      } catch {
        next.inheritedVersions = null;
      }
      if (req !== reqRef.current) return;
    }
    setData(next);
    setLoading(false);
  }, []);

  useEffect(() => {
    if (!applied) return;
    history.replaceState(null, '', `/staff/calendar?region=${applied.region}&year=${applied.year}`);
    void load(applied.region, applied.year);
  }, [applied, load]);

  const confirmDiscard = () => !editing || !dirtyRef.current || window.confirm('编辑中的修改尚未保存，确定放弃吗？');

  const choose = (region: string, year: number) => {
    if (!confirmDiscard()) return;
    setEditing(false);
    dirtyRef.current = false;
    setSaved(null);
    setApplied({ region, year });
  };

  const submitSelection = (e: FormEvent) => {
    e.preventDefault();
    const r = regionDraft.trim();
    if (!REGION_RE.test(r)) {
      setRegionErr('地区代码应为6位数字（000000 表示全国）。');
      document.getElementById(`${fid}-region`)?.focus();
      return;
    }
    setRegionErr('');
    choose(r, yearDraft);
  };
  const stepYear = (d: number) => {
    if (!applied) return;
    const y = applied.year + d;
    if (y < FIRST_YEAR || y > LAST_YEAR) return;
    setYearDraft(y);
    setRegionDraft(applied.region);
    choose(applied.region, y);
  };

  const regionLabel = (code: string) => {
    const n = regionNames.get(code);
    return n ? `${n}（${code}）` : code;
  };

  // Region choices for staff who may not type a code: their own region, its province, national, and any known region.
  const regionOptions = [
    ...new Set([agencyRegion, agencyRegion ? `${agencyRegion.slice(0, 2)}0000` : null, NATIONAL, ...regionNames.keys(), applied?.region]),
  ]
    .filter((c): c is string => !!c)
    .sort();

  const region = applied?.region ?? '';
  const canEdit = isSysadmin || (isAgencyAdmin && !!agencyRegion && region === agencyRegion);
  const denyReason = isSysadmin
    ? ''
    : isAgencyAdmin
      ? agencyRegion
        ? `机构管理员只能修改本机构所在地区${regionLabel(agencyRegion)}的工作日历。`
        : '正在确认本机构所在地区…'
      : '只有系统管理员或本地区的机构管理员可以修改工作日历。';

  const startEdit = () => {
    setSaved(null);
    setEditing(true);
    requestAnimationFrame(() => editHeadRef.current?.focus());
  };

  const onSaved = (version: number, recompute: number) => {
    dirtyRef.current = false;
    setEditing(false);
    setSaved({ region: data!.region, year: data!.year, version, recompute });
    void load(data!.region, data!.year);
  };

  // The yearly reminder (from 1 October until next year is published) for the staff's own region.
  const statusRegion = agencyRegion ?? (isSysadmin ? NATIONAL : null);
  useEffect(() => {
    if (!statusRegion) return;
    let live = true;
    send<CalendarStatusOut>('GET', `/api/calendar/status?region=${statusRegion}`).then(
      (st) => live && setStatus(st),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [statusRegion, saved]);

  const current = data && applied && data.region === applied.region && data.year === applied.year ? data : null;

  return (
    <section className="staff cal-page">
      <div className="page-head">
        <h1>工作日历管理</h1>
        <p className="muted small">
          <Link href="/staff">返回工作台</Link>
        </p>
      </div>
      <p className="muted">
        办理时限按工作日历计算：周一至周五为工作日，法定节假日休息，调休上班日照常上班。地区没有自己的日历时，依次沿用所在省、全国的日历。
      </p>

      <form className="panel cal-select" onSubmit={submitSelection} aria-label="选择地区和年度" noValidate>
        <div className={`field${regionErr ? ' has-error' : ''}`}>
          <label htmlFor={`${fid}-region`}>地区</label>
          {isSysadmin ? (
            <>
              <input
                id={`${fid}-region`}
                value={regionDraft}
                inputMode="numeric"
                autoComplete="off"
                maxLength={6}
                list={`${fid}-regions`}
                aria-invalid={regionErr ? true : undefined}
                aria-describedby={`${fid}-region-help${regionErr ? ` ${fid}-region-err` : ''}`}
                onChange={(e) => setRegionDraft(e.target.value.replace(/\D/g, ''))}
              />
              <datalist id={`${fid}-regions`}>
                {regionOptions.map((c) => (
                  <option key={c} value={c}>
                    {regionLabel(c)}
                  </option>
                ))}
              </datalist>
              <p className="help" id={`${fid}-region-help`}>
                6位行政区划代码，000000 表示全国。
              </p>
            </>
          ) : (
            <select id={`${fid}-region`} value={regionDraft} onChange={(e) => setRegionDraft(e.target.value)}>
              {regionOptions.map((c) => (
                <option key={c} value={c}>
                  {regionLabel(c)}
                </option>
              ))}
            </select>
          )}
          {regionErr && (
            <p className="field-error" id={`${fid}-region-err`}>
              {regionErr}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${fid}-year`}>年度</label>
          <select id={`${fid}-year`} value={yearDraft} onChange={(e) => setYearDraft(Number(e.target.value))}>
            {YEARS.map((y) => (
              <option key={y} value={y}>
                {y} 年
              </option>
            ))}
          </select>
        </div>
        <div className="cal-select-go">
          <button type="submit" className="btn primary">
            查看
          </button>
        </div>
      </form>

      {status?.warning && (isAgencyAdmin || isSysadmin) && (
        <div className="notice warn" role="status">
          <p>{status.warning}</p>
          {status.warningYear !== null && applied?.year !== status.warningYear && statusRegion && (
            <p>
              <button type="button" className="btn secondary small" onClick={() => choose(statusRegion, status.warningYear!)}>
                查看 {status.warningYear} 年
              </button>
            </p>
          )}
        </div>
      )}
      {saved && current && saved.region === current.region && saved.year === current.year && (
        <Notice kind="ok">
          已保存为第 {saved.version} 版，现已生效{current.cal && current.cal.version !== saved.version ? '（正在刷新…）' : ''}。
          {saved.recompute > 0 &&
            ` 用到 ${saved.year} 年的办理期限、补交期限、投诉和整改期限及大厅预约将按新日历重新计算，期限有变化的申请人会收到通知。`}
        </Notice>
      )}
      {error && <ErrorBox message={error} retry={() => applied && void load(applied.region, applied.year)} />}
      {!current && !error && <Loading />}

      {current && (
        <>
          <div className="cal-year-head">
            <h2>
              {regionLabel(current.region)} · {current.year} 年
            </h2>
            <div className="actions-row">
              <button type="button" className="btn secondary small" disabled={current.year <= FIRST_YEAR} onClick={() => stepYear(-1)}>
                ‹ 上一年
              </button>
              <button type="button" className="btn secondary small" disabled={current.year >= LAST_YEAR} onClick={() => stepYear(1)}>
                下一年 ›
              </button>
            </div>
            {loading && (
              <p className="muted small" role="status">
                正在刷新…
              </p>
            )}
          </div>

          {current.notCovered && (
            <div className="notice info" role="status">
              <p>{current.notCovered}</p>
              <p>
                {canEdit
                  ? `${current.region === NATIONAL ? '全国' : '本地区、所在省和全国都'}还没有 ${current.year} 年的日历。可以在下方从空白开始录入（只列出节假日和调休上班日，其余按周一至周五上班处理）。`
                  : denyReason}
              </p>
            </div>
          )}

          {current.cal && <InForce cal={current.cal} regionLabel={regionLabel} />}

          {canEdit ? (
            !editing && (
              <div className="actions-row">
                <button type="button" className="btn primary" onClick={startEdit}>
                  {current.cal?.provisional
                    ? `录入国务院公布的 ${current.year} 年放假安排`
                    : current.cal
                      ? `修改 ${current.year} 年工作日历`
                      : `录入 ${current.year} 年工作日历`}
                </button>
              </div>
            )
          ) : current.cal ? (
            <p className="muted small">{denyReason}</p>
          ) : null}

          {canEdit && editing && (
            <div id={`${fid}-editor`}>
              <CalendarEditor
                key={`${current.region}/${current.year}/${current.cal?.version ?? 0}`}
                headRef={editHeadRef}
                region={current.region}
                regionText={regionLabel(current.region)}
                year={current.year}
                cal={current.cal}
                onDirty={(d) => (dirtyRef.current = d)}
                onCancel={() => {
                  if (!dirtyRef.current || window.confirm('编辑中的修改尚未保存，确定放弃吗？')) {
                    dirtyRef.current = false;
                    setEditing(false);
                  }
                }}
                onSaved={onSaved}
              />
            </div>
          )}

          {current.cal && <YearGrid cal={current.cal} />}

          <History data={current} regionLabel={regionLabel} />
        </>
      )}
    </section>
  );
}

function InForce({ cal, regionLabel }: { cal: CalendarYearOut; regionLabel: (c: string) => string }) {
  const own = cal.resolvedFrom === cal.region;
  return (
    <div className="panel cal-inforce">
      <h3>
        现行版本：第 {cal.version} 版{cal.provisional && <span className="tag provisional">预计</span>}
      </h3>
      {cal.provisional && (
        <p className="notice warn">
          {cal.year} 年的放假安排尚未公布。本版按《全国年节及纪念日放假办法》推算：只含法定节假日和周末，不含调休上班日，日期均为“预计”。
          国务院办公厅发布通知后，请按通知录入；保存后，用到 {cal.year} 年的期限将重新计算，并通知受影响的申请人。
        </p>
      )}
      <dl className="kv">
        <dt>适用来源</dt>
        <dd>
          {own ? (
            '本地区自有版本'
          ) : (
            <>
              <strong>继承自{regionLabel(cal.resolvedFrom)}</strong>（本地区没有自己的 {cal.year} 年日历）
            </>
          )}
        </dd>
        <dt>数据来源</dt>
        <dd>{sourceLabel(cal.source)}</dd>
        <dt>说明</dt>
        <dd>{cal.note ?? '—'}</dd>
        <dt>录入人</dt>
        <dd>{cal.createdBy ?? '系统导入'}</dd>
        <dt>录入时间</dt>
        <dd>{fmtDateTime(cal.createdAt)}</dd>
        <dt>全年</dt>
        <dd>
          工作日 {cal.workingDayCount} 天 · 法定节假日 {cal.holidays.length} 天 · 调休上班 {cal.workdays.length} 天
        </dd>
      </dl>
    </div>
  );
}

function Legend() {
  return (
    <ul className="cal-legend" aria-label="图例">
      {(Object.keys(KINDS) as DayKind[]).map((k) => (
        <li key={k}>
          <span className={`cal-swatch k-${k}`} aria-hidden="true">
            {KINDS[k].mark || '1'}
          </span>
          {KINDS[k].label}
          {KINDS[k].mark ? `（标“${KINDS[k].mark}”）` : '（无标记）'}
        </li>
      ))}
    </ul>
  );
}

function YearGrid({ cal }: { cal: CalendarYearOut }) {
  return (
    <section className="cal-grid-sec" aria-labelledby="cal-grid-h">
      <h3 id="cal-grid-h">{cal.year} 年逐月日历</h3>
      <Legend />
      <div className="cal-months">
        {cal.months.map((m) => {
          const lead = (m.firstWeekday + 6) % 7;
          const cells: ((typeof m.days)[number] | null)[] = [...Array<null>(lead).fill(null), ...m.days];
          while (cells.length % 7) cells.push(null);
          const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
          return (
            <table key={m.month} className="cal-month">
              <caption>
                {m.month} 月<span className="cal-count">工作日 {m.workingDays} 天</span>
              </caption>
              <thead>
                <tr>
                  {WEEKDAYS.map((w, i) => (
                    <th key={w} scope="col" abbr={`星期${w}`} className={i >= 5 ? 'wk' : undefined}>
                      {w}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeks.map((wk, wi) => (
                  <tr key={wi}>
                    {wk.map((d, di) => {
                      if (!d) return <td key={di} className="cal-empty" />;
                      const k = KINDS[d.kind];
                      const tip = `${d.date} 星期${WEEKDAYS[di]}：${k.label}${d.name ? `（${d.name}）` : ''}`;
                      return (
                        <td key={di} className={`cal-day k-${d.kind}`} title={tip}>
                          <span className="cal-num">{Number(d.date.slice(8))}</span>
                          {k.mark && (
                            <span className="cal-mark" aria-hidden="true">
                              {k.mark}
                            </span>
                          )}
                          {d.name && (
                            <span className="cal-name" aria-hidden="true">
                              {d.name}
                            </span>
                          )}
                          {d.kind !== 'workday' && <span className="sr-only">{`${k.label}${d.name ? `：${d.name}` : ''}`}</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
    </section>
  );
}

function VersionTable({ v, caption }: { v: CalendarVersionsOut; caption: string }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="cal-versions">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">版本</th>
            <th scope="col">来源</th>
            <th scope="col">说明</th>
            <th scope="col">修改人</th>
            <th scope="col">时间</th>
            <th scope="col">节假日 / 调休</th>
          </tr>
        </thead>
        <tbody>
          {v.versions.map((r) => (
            <tr key={r.version} className={r.current ? 'current' : undefined}>
              <td className="nowrap" data-label="版本">
                第 {r.version} 版{r.current && <span className="tag ok">现行</span>}
              </td>
              <td data-label="来源">{sourceLabel(r.source)}</td>
              <td className="cal-note" data-label="说明">
                {r.note ?? '—'}
              </td>
              <td data-label="修改人">{r.createdBy ?? '系统导入'}</td>
              <td className="nowrap" data-label="时间">
                {fmtDateTime(r.createdAt)}
              </td>
              <td className="nowrap" data-label="节假日 / 调休">
                {r.holidayCount} / {r.workdayCount}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function History({ data, regionLabel }: { data: Loaded; regionLabel: (c: string) => string }) {
  return (
    <section className="cal-history" aria-labelledby="cal-hist-h">
      <h3 id="cal-hist-h">版本历史</h3>
      {data.versionsError && <p className="muted">版本历史加载失败：{data.versionsError}</p>}
      {data.notCovered && <p className="muted">还没有任何版本。</p>}
      {data.versions && data.versions.versions.length > 0 && (
        <VersionTable v={data.versions} caption={`${regionLabel(data.region)} ${data.year} 年的版本（最新在前）`} />
      )}
      {data.versions && data.versions.versions.length === 0 && data.versions.inheritedFrom && (
        <>
          <p>
            本地区还没有自己的 {data.year} 年版本，现行日历继承自{regionLabel(data.versions.inheritedFrom)}。
          </p>
          {data.inheritedVersions && data.inheritedVersions.versions.length > 0 && (
            <VersionTable v={data.inheritedVersions} caption={`${regionLabel(data.versions.inheritedFrom)} ${data.year} 年的版本（最新在前）`} />
          )}
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Editor

interface Row {
  key: number;
  date: string;
  name: string;
}
type RowLists = Record<ListName, Row[]>;
interface FormError {
  message: string;
  /** One line per problem, with the id of the input it is about. */
  items: { text: string; target: string }[];
}

let rowSeq = 0;
const toRows = (l: { date: string; name: string }[]): Row[] => l.map((d) => ({ key: ++rowSeq, date: d.date, name: d.name }));

function CalendarEditor({
  headRef,
  region,
  regionText,
  year,
  cal,
  onDirty,
  onCancel,
  onSaved,
}: {
  headRef: RefObject<HTMLHeadingElement | null>;
  region: string;
  regionText: string;
  year: number;
  cal: CalendarYearOut | null;
  onDirty: (dirty: boolean) => void;
  onCancel: () => void;
  onSaved: (version: number, recompute: number) => void;
}) {
  const fid = useId();
  const [rows, setRows] = useState<RowLists>(() => ({ holidays: toRows(cal?.holidays ?? []), workdays: toRows(cal?.workdays ?? []) }));
  const [note, setNote] = useState('');
  const [noteErr, setNoteErr] = useState('');
  const [fieldErrs, setFieldErrs] = useState<Record<string, string>>({});
  const [formErr, setFormErr] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');
  const alertRef = useRef<HTMLDivElement>(null);
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    if (focusNext.current) {
      document.getElementById(focusNext.current)?.focus();
      focusNext.current = null;
    }
  }, [rows]);
  useEffect(() => {
    if (formErr) alertRef.current?.focus();
  }, [formErr]);

  const inputId = (list: ListName, key: number, field: 'date' | 'name') => `${fid}-${list}-${key}-${field}`;
  const errKey = (list: ListName, key: number, field: 'date' | 'name') => `${list}:${key}:${field}`;

  const touch = () => onDirty(true);
  const update = (list: ListName, key: number, field: 'date' | 'name', value: string) => {
    touch();
    setRows((r) => ({ ...r, [list]: r[list].map((x) => (x.key === key ? { ...x, [field]: value } : x)) }));
    setFieldErrs((e) => {
      const k = errKey(list, key, field);
      if (!(k in e)) return e;
      const n = { ...e };
      delete n[k];
      return n;
    });
  };
  const add = (list: ListName) => {
    touch();
    const row: Row = { key: ++rowSeq, date: '', name: '' };
    focusNext.current = inputId(list, row.key, 'date');
    setRows((r) => ({ ...r, [list]: [...r[list], row] }));
  };
  const remove = (list: ListName, index: number) => {
    touch();
    const l = rows[list];
    const gone = l[index]!;
    const after = l[index + 1] ?? l[index - 1];
    focusNext.current = after ? `${fid}-${list}-${after.key}-del` : `${fid}-${list}-add`;
    setAnnounce(`已删除${LIST_TITLES[list]}第 ${index + 1} 行${gone.date ? `（${gone.date}${gone.name ? ` ${gone.name}` : ''}）` : ''}。`);
    setRows((r) => ({ ...r, [list]: r[list].filter((x) => x.key !== gone.key) }));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFieldErrs({});
    if (!note.trim()) {
      setNoteErr('请填写修改说明，例如“依据国务院办公厅通知补录”。');
      setFormErr({ message: '请填写修改说明后再保存。', items: [] });
      return;
    }
    setNoteErr('');
    // Rows left completely blank are dropped; the server checks everything else.
    const sent: RowLists = {
      holidays: rows.holidays.filter((r) => r.date || r.name.trim()),
      workdays: rows.workdays.filter((r) => r.date || r.name.trim()),
    };
    const body: CalendarYearIn = {
      holidays: sent.holidays.map(({ date, name }) => ({ date, name })),
      workdays: sent.workdays.map(({ date, name }) => ({ date, name })),
      note: note.trim(),
    };
    setBusy(true);
    setFormErr(null);
    try {
      const r = await send<{ version: number; recompute: number }>('PUT', calUrl(region, year), body);
      onSaved(r.version, r.recompute);
    } catch (err) {
      const ae = asApiError(err);
      const errs: Record<string, string> = {};
      const items: FormError['items'] = [];
      if (Array.isArray(ae.details)) {
        for (const d of ae.details as unknown[]) {
          if (!d || typeof d !== 'object') continue;
          const o = d as { path?: unknown; message?: unknown };
          if (typeof o.path !== 'string' || typeof o.message !== 'string') continue;
          const m = /^(holidays|workdays)\.(\d+)\.(date|name)$/.exec(o.path);
          const row = m ? sent[m[1] as ListName][Number(m[2])] : undefined;
          if (m && row) {
            const list = m[1] as ListName;
            const k = errKey(list, row.key, m[3] as 'date' | 'name');
            if (!errs[k]) errs[k] = o.message;
            const shownIndex = rows[list].findIndex((x) => x.key === row.key) + 1;
            items.push({
              text: `${LIST_TITLES[list]}第 ${shownIndex} 行${m[3] === 'date' ? '日期' : '名称'}：${o.message}`,
              target: inputId(list, row.key, m[3] as 'date' | 'name'),
            });
          } else if (o.path === 'note') {
            setNoteErr(o.message);
            items.push({ text: `修改说明：${o.message}`, target: `${fid}-note` });
          }
        }
      }
      setFieldErrs(errs);
      setFormErr({ message: ae.message, items });
    } finally {
      setBusy(false);
    }
  };

  const inherited = cal && cal.resolvedFrom !== region;
  return (
    <form className="panel cal-editor" onSubmit={save} noValidate aria-labelledby={`${fid}-h`}>
      <h3 id={`${fid}-h`} ref={headRef} tabIndex={-1}>
        {cal ? '修改' : '录入'} {regionText} {year} 年工作日历
      </h3>
      <p className="help">
        {cal
          ? inherited
            ? `下面预填的是现行（继承自${cal.resolvedFrom === NATIONAL ? '全国' : cal.resolvedFrom}）第 ${cal.version} 版的内容。保存后本地区将有自己的 ${year} 年日历，不再沿用上级日历。`
            : `下面预填的是现行第 ${cal.version} 版的内容。保存后生成新版本并立即生效，旧版本保留在版本历史中。`
          : '从空白开始录入。只需列出法定节假日和调休上班日，其余日期按周一至周五上班、周六周日休息处理。'}
      </p>

      {(['holidays', 'workdays'] as const).map((list) => (
        <fieldset key={list} className="cal-list">
          <legend>
            {LIST_TITLES[list]}（{rows[list].length} 天）
          </legend>
          <p className="help">
            {list === 'holidays' ? '放假的日期（含节日期间的周末），名称如“春节”。' : '因调休而上班的周末日期，名称如“春节调休”。'}日期须在 {year}{' '}
            年内。
          </p>
          {rows[list].length > 0 ? (
            <>
              <div className="cal-row cal-row-head" aria-hidden="true">
                <span>#</span>
                <span>日期</span>
                <span>名称</span>
                <span />
              </div>
              <ol className="cal-rows">
                {rows[list].map((r, i) => {
                  const dErr = fieldErrs[errKey(list, r.key, 'date')];
                  const nErr = fieldErrs[errKey(list, r.key, 'name')];
                  const errId = `${fid}-${list}-${r.key}-err`;
                  return (
                    <li key={r.key} className={`cal-row${dErr || nErr ? ' has-error' : ''}`}>
                      <span className="cal-rowno" aria-hidden="true">
                        {i + 1}
                      </span>
                      <span className="cal-cell-date">
                        <label className="sr-only" htmlFor={inputId(list, r.key, 'date')}>
                          {LIST_TITLES[list]}第 {i + 1} 行日期
                        </label>
                        <input
                          id={inputId(list, r.key, 'date')}
                          type="date"
                          value={r.date}
                          min={`${year}-01-01`}
                          max={`${year}-12-31`}
                          aria-invalid={dErr ? true : undefined}
                          aria-describedby={dErr ? errId : undefined}
                          onChange={(e) => update(list, r.key, 'date', e.target.value)}
                        />
                      </span>
                      <span className="cal-cell-name">
                        <label className="sr-only" htmlFor={inputId(list, r.key, 'name')}>
                          {LIST_TITLES[list]}第 {i + 1} 行名称
                        </label>
                        <input
                          id={inputId(list, r.key, 'name')}
                          value={r.name}
                          maxLength={60}
                          placeholder={list === 'holidays' ? '如：春节' : '如：春节调休'}
                          aria-invalid={nErr ? true : undefined}
                          aria-describedby={nErr ? errId : undefined}
                          onChange={(e) => update(list, r.key, 'name', e.target.value)}
                        />
                      </span>
                      <button
                        type="button"
                        id={`${fid}-${list}-${r.key}-del`}
                        className="btn secondary small cal-del"
                        onClick={() => remove(list, i)}
                        aria-label={`删除${LIST_TITLES[list]}第 ${i + 1} 行${r.date ? `（${r.date}）` : ''}`}
                      >
                        删除
                      </button>
                      {(dErr || nErr) && (
                        <p className="field-error cal-row-err" id={errId}>
                          {[dErr, nErr].filter(Boolean).join('；')}
                        </p>
                      )}
                    </li>
                  );
                })}
              </ol>
            </>
          ) : (
            <p className="muted small">暂无。</p>
          )}
          <button type="button" id={`${fid}-${list}-add`} className="btn secondary small" onClick={() => add(list)}>
            ＋ 添加{LIST_TITLES[list]}
          </button>
        </fieldset>
      ))}

      <div className={`field${noteErr ? ' has-error' : ''}`}>
        <label htmlFor={`${fid}-note`}>
          修改说明
          <span className="req" aria-hidden="true">
            *
          </span>
        </label>
        <textarea
          id={`${fid}-note`}
          value={note}
          maxLength={500}
          required
          aria-required="true"
          aria-invalid={noteErr ? true : undefined}
          aria-describedby={`${fid}-note-help${noteErr ? ` ${fid}-note-err` : ''}`}
          onChange={(e) => {
            touch();
            setNote(e.target.value);
            if (e.target.value.trim()) setNoteErr('');
          }}
        />
        <p className="help" id={`${fid}-note-help`}>
          说明修改依据和内容，将记入版本历史（最多 500 字）。
        </p>
        {noteErr && (
          <p className="field-error" id={`${fid}-note-err`}>
            {noteErr}
          </p>
        )}
      </div>

      {formErr && (
        <div className="notice error cal-form-error" role="alert" tabIndex={-1} ref={alertRef}>
          <p>{formErr.message}</p>
          {formErr.items.length > 0 && (
            <ul>
              {formErr.items.map((t, i) => (
                <li key={i}>
                  <a
                    href={`#${t.target}`}
                    onClick={(e) => {
                      e.preventDefault();
                      document.getElementById(t.target)?.focus();
                    }}
                  >
                    {t.text}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p className="sr-only" role="status">
        {announce}
      </p>
      <div className="actions-row">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? '正在保存…' : '保存为新版本'}
        </button>
        <button type="button" className="btn secondary" onClick={onCancel} disabled={busy}>
          取消
        </button>
      </div>
    </form>
  );
}
