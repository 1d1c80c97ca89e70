/**
 * 大厅预约 (/a/{agency}/appointments): choose the business type, the hall, the day and the time
 * slot, then confirm. The choices live in the URL, so signing in on the way loses nothing; the
 * agency's rules (and, once signed in, whether the person may book now and why) are shown first.
 */
import { useEffect, useMemo, useState } from 'react';
import { asApiError, type ApiError } from '../../lib/api.ts';
import { loginHref, useMe } from '../../lib/auth.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { apptApi, dayLabel, weekdayOf, type ApptOptionsOut, type StandingOut } from './api.ts';
import { SlotPicker, type Pick } from './SlotPicker.tsx';
import { RulesBox } from './parts.tsx';
import './appointments.css';

interface Sel {
  business: string | null;
  office: number | null;
  date: string | null;
  start: string | null;
  item: string | null;
}

function readSel(search: string): Sel {
  const sp = new URLSearchParams(search);
  const n = Number(sp.get('office'));
  return {
    business: sp.get('business'),
    office: Number.isInteger(n) && n > 0 ? n : null,
    date: sp.get('date'),
    start: sp.get('start'),
    item: sp.get('item'),
  };
}

function selUrl(agency: string, s: Sel): string {
  const sp = new URLSearchParams();
  if (s.item) sp.set('item', s.item);
  if (s.business) sp.set('business', s.business);
  if (s.office) sp.set('office', String(s.office));
  if (s.date && s.start) {
    sp.set('date', s.date);
    sp.set('start', s.start);
  }
  const qs = sp.toString();
  return `/a/${agency}/appointments${qs ? `?${qs}` : ''}`;
}

export function BookPage({ agency, search }: { agency: string; search: string }) {
  const opts = useLoad(() => apptApi.options(agency), [agency]);
  useEffect(() => {
    document.title = '大厅预约 · 医保经办服务平台';
  }, []);
  if (opts.status === 'loading') return <Loading />;
  if (opts.status === 'error') return <Unavailable agency={agency} error={opts.error} />;
  return <Booking agency={agency} opts={opts.data} initial={readSel(search)} />;
}

function Unavailable({ agency, error }: { agency: string; error: ApiError }) {
  if (error.code !== 'APPT_SERVICE_UNAVAILABLE') return <ErrorBox message={error.message} />;
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { href: `/a/${agency}`, label: '服务事项' }, { label: '大厅预约' }]} />
      <h1>大厅预约</h1>
      <Notice kind="info" focus={false}>
        <p>{error.message}</p>
        <p>
          如需到大厅办理，请查看<Link href={`/a/${agency}/offices`}>办事大厅与电话</Link>，电话咨询后前往。
        </p>
      </Notice>
    </section>
  );
}

function Booking({ agency, opts, initial }: { agency: string; opts: ApptOptionsOut; initial: Sel }) {
  const { me } = useMe();
  const types = opts.businessTypes.filter((t) => opts.offices.some((o) => o.services.some((s) => s.business === t.code)));
  const itemType = initial.item ? types.find((t) => t.items.includes(initial.item!.toUpperCase())) : undefined;
  const [sel, setSel] = useState<Sel>(() => ({
    ...initial,
    business: initial.business && types.some((t) => t.code === initial.business) ? initial.business : (itemType?.code ?? null),
  }));
  const [pick, setPick] = useState<Pick | null>(null);
  const [standing, setStanding] = useState<StandingOut | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [reload, setReload] = useState(0);

  const offices = useMemo(
    () => opts.offices.filter((o) => sel.business && o.services.some((s) => s.business === sel.business)),
    [opts, sel.business],
  );
  const office = offices.find((o) => o.id === sel.office) ?? (offices.length === 1 ? offices[0] : undefined);
  const type = types.find((t) => t.code === sel.business);
  const slot = pick ?? (sel.date && sel.start ? { date: sel.date, start: sel.start, end: '' } : null);

  const here = selUrl(agency, { ...sel, office: office?.id ?? null, date: slot?.date ?? null, start: slot?.start ?? null });
  useEffect(() => {
    if (location.pathname + location.search !== here) history.replaceState(null, '', here);
  }, [here]);
  useEffect(() => {
    if (!me || me.kind === 'staff') return;
    apptApi.standing(agency).then(setStanding, () => setStanding(null));
  }, [agency, me]);

  const set = (patch: Partial<Sel>) => {
    setSel((s) => ({ ...s, ...patch, date: null, start: null }));
    setPick(null);
    setMsg(null);
  };

  const submit = async () => {
    if (!office || !type || !slot) return;
    setBusy(true);
    setMsg(null);
    try {
      const a = await apptApi.book({
        officeId: office.id,
        business: type.code,
        date: slot.date,
        start: slot.start,
        ...(sel.item ? { itemCode: sel.item } : {}),
      });
      navigate(`/me/appointments/${a.id}?new=1`);
    } catch (e) {
      const err = asApiError(e);
      setMsg({ kind: 'error', text: err.message });
      if (err.code === 'APPT_SLOT_FULL' || err.code === 'APPT_TOO_SOON' || err.code === 'APPT_DAY_CLOSED') {
        setPick(null);
        setSel((s) => ({ ...s, date: null, start: null }));
        setReload((n) => n + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  const itemName = initial.item ? initial.item.toUpperCase() : null;
  return (
    <section className="appt-book">
      <Crumbs items={[{ href: '/', label: '首页' }, { href: `/a/${agency}`, label: opts.agencyName }, { label: '大厅预约' }]} />
      <h1>大厅预约</h1>
      <p className="muted">
        {opts.agencyName}：确需到大厅办理的，请先预约，按预约时段到厅，凭预约二维码或预约码签到。
        {itemName && (
          <>
            {' '}
            办理事项：<Link href={`/a/${agency}/items/${itemName}`}>{itemName}</Link>
          </>
        )}
      </p>
      <RulesBox opts={opts} />
      {standing && !standing.canBook && (
        <Notice kind="error" focus={false}>
          <p>
            <strong>您暂时不能新预约。</strong>
            {standing.message}
          </p>
          <p>
            <Link href="/me/appointments">查看我的预约</Link>
          </p>
        </Notice>
      )}

      <fieldset className="appt-choice wide">
        <legend>1. 选择业务类型</legend>
        <div className="chip-grid">
          {types.map((t) => (
            <label key={t.code} className={`chip${sel.business === t.code ? ' on' : ''}`}>
              <input
                type="radio"
                name="business"
                value={t.code}
                checked={sel.business === t.code}
                onChange={() =>
                  set({
                    business: t.code,
                    office: opts.offices.some((o) => o.id === sel.office && o.services.some((x) => x.business === t.code)) ? sel.office : null,
                  })
                }
              />
              <span className="chip-main">{t.name}</span>
              {initial.item && t.items.includes(initial.item.toUpperCase()) && <span className="chip-sub">与所选事项对应</span>}
            </label>
          ))}
        </div>
      </fieldset>

      {type && (
        <fieldset className="appt-choice wide">
          <legend>2. 选择办事大厅</legend>
          <div className="chip-grid">
            {offices.map((o) => (
              <label key={o.id} className={`chip${office?.id === o.id ? ' on' : ''}`}>
                <input type="radio" name="office" value={o.id} checked={office?.id === o.id} onChange={() => set({ office: o.id })} />
                <span className="chip-main">{o.name}</span>
                {o.address && <span className="chip-detail">{o.address}</span>}
                <span className="chip-detail">
                  办公时间 {o.hours.map((h) => `${h.from}–${h.to}`).join('，')}
                  {o.hoursExample && <span className="tag example">示例</span>}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}

      {type && office && (
        <div>
          <h2 className="appt-step">3. 选择日期和时段</h2>
          <SlotPicker
            key={`${office.id}-${type.code}`}
            officeId={office.id}
            business={type.code}
            value={slot}
            reload={reload}
            onChange={(p) => {
              setPick(p);
              setMsg(null);
            }}
          />
        </div>
      )}

      <div className="appt-summary" aria-live="polite">
        {msg && (
          <Notice kind={msg.kind} focus>
            {msg.text}
          </Notice>
        )}
        {type && office && slot ? (
          <p>
            <strong>
              {dayLabel(slot.date, weekdayOf(slot.date))} {slot.start}
              {slot.end ? `–${slot.end}` : ''}
            </strong>{' '}
            · {office.name} · {type.name}
          </p>
        ) : (
          <p className="muted">请依次选择业务类型、办事大厅、日期和时段。</p>
        )}
        {me ? (
          me.kind === 'staff' ? (
            <p className="muted">工作人员账号不能预约。</p>
          ) : (
            <button type="button" className="btn big wide" disabled={!type || !office || !slot || busy} onClick={() => void submit()}>
              {busy ? '正在预约…' : '确认预约'}
            </button>
          )
        ) : (
          <Link className="btn big wide" href={loginHref(here)}>
            登录后预约
          </Link>
        )}
      </div>
    </section>
  );
}
