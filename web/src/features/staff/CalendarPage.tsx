/**
 * 工作日历管理: one region's working-day calendar for a year as 12 month grids, the version in
 * force and where it resolves from, the version history, and — for a system admin, or an agency
 * admin in their agency's own region — saving the year's lists as a new version.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, asApiError, send, type UserOut } from '../../lib/api.ts';
import type { CalendarStatusOut, CalendarVersionsOut, CalendarYearOut } from '../../../../common/api-calendar.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { todayChina } from '../../lib/format.ts';
import { ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { NATIONAL, FIRST_YEAR, LAST_YEAR, YEARS, REGION_RE, calUrl, type Loaded } from './calendar-parts.ts';
import { InForce, YearGrid, History } from './CalendarViews.tsx';
import { CalendarEditor } from './CalendarYearEditor.tsx';

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
