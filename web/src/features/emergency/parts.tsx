/**
 * What the public site shows while an agency's emergency regime is in force: the banner on every
 * page, the notices on an item's guide, the promoted channels, the offices' appointment-only flag
 * and the measures on the rules page. Everything comes from the regime document (data).
 */
import { useEffect } from 'react';
import { Link } from '../../lib/router.tsx';
import {
  CHANNEL_KIND_LABELS,
  MEASURE_KIND_LABELS,
  VALIDITY_TARGET_LABELS,
  promoteChannels,
  type ChannelKind,
} from '../../../../common/emergency-kinds.ts';
import { CHANNEL_LABELS } from '../../lib/format.ts';
import type { PublicEmergencyOut } from './api.ts';
import { measuresForItem, measuresOf, useEmergency, type Measure } from './useEmergency.ts';
import './emergency.css';

export { useEmergency };

function periodText(em: PublicEmergencyOut): string {
  const p = em.period!;
  return `自 ${p.startDate} 起${p.endDate ? `至 ${p.endDate} ` : ''}实行`;
}

/** The notice on every page of the agency's site (and on its staff's pages). */
export function EmergencyBanner({ agency }: { agency?: string | null }) {
  const em = useEmergency(agency);
  if (!em?.regime) return null;
  return (
    <section className="em-banner" aria-label="应急公告" data-testid="emergency-banner">
      <div className="wrap em-banner-inner">
        <span className="em-badge" aria-hidden="true">
          应急
        </span>
        <div>
          <p className="em-banner-title">
            <strong>{em.regime.notice.title}</strong>
          </p>
          <p className="em-banner-text">{em.regime.notice.text}</p>
          <p className="em-banner-meta">
            {periodText(em)} · <Link href={`/a/${em.agency}/rules#emergency`}>查看全部应急措施</Link>
          </p>
        </div>
      </div>
    </section>
  );
}

/** The apply page when the regime defers the item: its message, and where to turn instead. */
export function DeferredRefusal({ agency, item, message }: { agency: string; item: string; message: string }) {
  return (
    <div className="em-deferred-cta" role="alert" data-testid="apply-deferred">
      <p>
        <strong>应急期间暂缓办理</strong>
      </p>
      <p>{message}</p>
      <p>
        <Link href={`/a/${agency}/items/${item}`}>返回办事指南</Link> · <Link href={`/a/${agency}/offices`}>办事大厅与预约电话</Link> ·{' '}
        <Link href={`/a/${agency}/rules#emergency`}>全部应急措施</Link>
      </p>
    </div>
  );
}

/** The deferral that stops online applications for this item, if any (the server says which). */
export function deferredOnline(em: PublicEmergencyOut | null, itemCode: string) {
  const id = em?.deferredOnline[itemCode];
  return id ? (measuresOf(em, 'deferred').find((m) => m.id === id) ?? null) : null;
}

/** The guide's channels with the regime's contactless ones first, and its wording. */
export function emergencyChannels<C extends { kind: string }>(em: PublicEmergencyOut | null, itemCode: string, channels: readonly C[]) {
  const m = measuresOf(em, 'contactless').find((x) => x.items.includes(itemCode)) ?? null;
  return { channels: promoteChannels(channels, m), wording: m?.wording ?? null };
}

/** The measures that apply to one item, at the top of its guide. */
export function ItemEmergencyNotices({ em, itemCode }: { em: PublicEmergencyOut | null; itemCode: string }) {
  if (!em?.regime) return null;
  const mine = measuresForItem(em, itemCode).filter((m) => m.kind !== 'contactless');
  const rx = measuresOf(em, 'long_prescription').filter((m) => m.items.includes(itemCode));
  if (mine.length === 0 && rx.length === 0) return null;
  return (
    <section className="em-item" aria-label="应急期间的办理安排" data-testid="item-emergency">
      <h2>应急期间的办理安排</h2>
      <ul className="plain">
        {mine.map((m) => (
          <li key={m.id} className={`em-measure em-${m.kind}`}>
            <span className="tag em">{MEASURE_KIND_LABELS[m.kind]}</span> <strong>{m.title}</strong>
            <p>{measureText(m)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function measureText(m: Measure): string {
  switch (m.kind) {
    case 'deferred':
      return m.message;
    case 'info':
      return m.wording ?? m.source.text;
    default:
      return m.wording;
  }
}

/** Offices page: whether a hall admits visitors by appointment only now. */
export function appointmentOnly(em: PublicEmergencyOut | null, officeCode: string) {
  return em?.appointmentOnly.find((o) => o.code === officeCode) ?? null;
}

export function OfficesEmergencyNote({ em }: { em: PublicEmergencyOut | null }) {
  if (!em?.regime || em.appointmentOnly.length === 0) return null;
  const days = Math.max(...em.appointmentOnly.map((o) => o.minWorkingDaysAhead));
  return (
    <div className="em-note" role="note" data-testid="offices-emergency">
      <p>
        <span className="tag em">预约办理</span> 应急期间，{em.appointmentOnly.length} 个办事地点仅接待预约办理
        {days > 0 ? `，须至少提前 ${days} 个工作日预约` : ''}。
      </p>
      <p className="small">{em.appointmentOnly[0]!.wording}</p>
    </div>
  );
}

/** The rules page's section: every measure of the regime in force, with its source. */
export function EmergencyMeasures({ em }: { em: PublicEmergencyOut | null }) {
  const shown = Boolean(em?.regime);
  // The banner links here (#emergency); the section appears after the regime loads, so scroll then.
  useEffect(() => {
    if (shown && location.hash === '#emergency') document.getElementById('emergency')?.scrollIntoView();
  }, [shown]);
  if (!em?.regime) return null;
  const r = em.regime;
  const name = (code: string) => (em.itemNames[code] ? `${em.itemNames[code]}（${code}）` : code);
  const items = (codes: readonly string[], agency = em.agency) =>
    codes.length === 0 ? null : (
      <p className="em-items">
        适用事项：
        {codes.map((c, i) => (
          <span key={c}>
            {i > 0 && '、'}
            <Link href={`/a/${agency}/items/${c}`}>{name(c)}</Link>
          </span>
        ))}
      </p>
    );
  return (
    <section id="emergency" className="em-rules" aria-labelledby="emergency-h" data-testid="rules-emergency">
      <h2 id="emergency-h">
        应急措施（生效中） <span className="tag em">{periodText(em)}</span>
      </h2>
      <p className="muted small">
        依据：{r.source.issuer ? `${r.source.issuer}《${r.source.title}》` : `《${r.source.title}》`}
        {r.source.docNo ? `（${r.source.docNo}）` : ''}
        {r.source.issuedOn ? `，${r.source.issuedOn}` : ''}
      </p>
      <ol className="em-measures">
        {r.measures.map((m) => (
          <li key={m.id} className={`em-measure em-${m.kind}`}>
            <p>
              <span className="tag em">{MEASURE_KIND_LABELS[m.kind]}</span> <strong>{m.title}</strong>
            </p>
            {m.kind === 'long_prescription' ? (
              <p className="em-rule" data-testid="long-prescription">
                <strong>长处方规则：</strong>
                {m.wording}（处方最长 {m.maxMonths} 个月）
              </p>
            ) : m.kind === 'contribution_grace' ? (
              <p>
                {m.wording}
                <span className="muted">（应急状态期间的欠费月份，在应急状态结束后 {m.graceMonths} 个月内补缴的视同连续缴费。）</span>
              </p>
            ) : m.kind === 'extend_validity' ? (
              <p>
                {m.wording}
                <span className="muted">
                  （{VALIDITY_TARGET_LABELS[m.target]}延长至 {m.until}。）
                </span>
              </p>
            ) : m.kind === 'appointment_only' ? (
              <p>{m.wording}</p>
            ) : m.kind === 'contactless' ? (
              <p>
                {m.wording}
                <span className="muted">（推荐渠道：{m.channels.map((c) => CHANNEL_KIND_LABELS[c as ChannelKind] ?? c).join('、')}）</span>
              </p>
            ) : m.kind === 'deferred' ? (
              <p>
                {m.message}
                {m.exceptChannels.length > 0 && (
                  <span className="muted">（仍可通过{m.exceptChannels.map((c) => CHANNEL_LABELS[c] ?? c).join('、')}办理）</span>
                )}
              </p>
            ) : (
              <p>{measureText(m)}</p>
            )}
            {'items' in m && items(m.items)}
            {m.kind === 'appointment_only' && em.appointmentOnly.length > 0 && (
              <p className="em-items">
                <Link href={`/a/${em.agency}/offices`}>{em.appointmentOnly.length} 个办事地点仅接待预约</Link>
              </p>
            )}
            <details className="em-source">
              <summary>原文</summary>
              <blockquote>{m.source.text}</blockquote>
              {m.source.ref && <p className="muted small">出处：{m.source.ref}</p>}
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
