/** The calendar page's read-only views: the version in force, the legend, the year grid and the version history. */
import type { CalendarVersionsOut, CalendarYearOut } from '../../../../common/api-calendar.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { WEEKDAYS, KINDS, sourceLabel, type DayKind, type Loaded } from './calendar-parts.ts';

export function InForce({ cal, regionLabel }: { cal: CalendarYearOut; regionLabel: (c: string) => string }) {
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

export function YearGrid({ cal }: { cal: CalendarYearOut }) {
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

export function History({ data, regionLabel }: { data: Loaded; regionLabel: (c: string) => string }) {
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
