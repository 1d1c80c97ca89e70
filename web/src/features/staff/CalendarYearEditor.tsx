/** The calendar page's editor: the year's holiday and make-up workday lists, saved as a new version. */
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { asApiError, send } from '../../lib/api.ts';
import type { CalendarYearIn, CalendarYearOut } from '../../../../common/api-calendar.ts';
import { NATIONAL, LIST_TITLES, calUrl, type ListName } from './calendar-parts.ts';

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

export function CalendarEditor({
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
