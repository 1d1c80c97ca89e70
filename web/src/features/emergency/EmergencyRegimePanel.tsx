/** The emergency admin page's regime panel: the regime document shown measure by measure. */
import { useRef, useState } from 'react';
import { fmtDateTime, CHANNEL_LABELS } from '../../lib/format.ts';
import { CHANNEL_KIND_LABELS, MEASURE_KIND_LABELS, VALIDITY_TARGET_LABELS, type ChannelKind } from '../../../../common/emergency-kinds.ts';
import type { EmergencyMeasure } from '../../../../common/emergency.ts';
import { ENROLMENT_LABELS, type Data, type Regime, type Msg, type Named } from './admin-emergency-parts.ts';
import { RegimeEditor } from './EmergencyRegimeEditor.tsx';

// ---------------------------------------------------------------------------------------------
// The regime document: shown measure by measure, and edited into a new version

const namesOf = (list: Named[]) => new Map(list.map((x) => [x.code, x.name]));

function Chips({ codes, names, empty }: { codes: readonly string[]; names: Map<string, string>; empty: string }) {
  return (
    <ul className="chips">
      {codes.length === 0 && <li className="none">{empty}</li>}
      {codes.map((c) => (
        <li key={c}>
          {names.get(c) ?? c}（{c}）
        </li>
      ))}
    </ul>
  );
}

function MeasureCard({ m, data }: { m: EmergencyMeasure; data: Data }) {
  const items = namesOf(data.items);
  const offices = namesOf(data.offices);
  return (
    <article className="measure-card" aria-label={m.title}>
      <h4>
        <span className="tag em">{MEASURE_KIND_LABELS[m.kind]}</span> {m.title}
      </h4>
      <div className="params">
        {m.kind === 'contactless' && (
          <p>
            推荐渠道：{m.channels.map((c) => CHANNEL_KIND_LABELS[c as ChannelKind] ?? c).join('、')}。{m.wording}
          </p>
        )}
        {m.kind === 'deferred' && (
          <p>
            提示：{m.message}
            {m.exceptChannels.length > 0 && `（仍可：${m.exceptChannels.map((c) => CHANNEL_LABELS[c] ?? c).join('、')}）`}
          </p>
        )}
        {m.kind === 'auto_pass' && <p>{m.wording}</p>}
        {m.kind === 'extend_validity' && (
          <p>
            {VALIDITY_TARGET_LABELS[m.target]}：开始日期起至 <strong>{m.until}</strong> 前到期的，延长至 <strong>{m.until}</strong>。
          </p>
        )}
        {m.kind === 'contribution_grace' && (
          <p>
            {m.enrolmentTypes.map((t) => ENROLMENT_LABELS[t] ?? t).join('、')}：应急期间的欠费，结束后 <strong>{m.graceMonths}</strong>{' '}
            个月内补缴的视同连续缴费。
          </p>
        )}
        {m.kind === 'long_prescription' && (
          <p>
            处方最长 <strong>{m.maxMonths}</strong> 个月。{m.wording}
          </p>
        )}
        {m.kind === 'appointment_only' && (
          <>
            <p>
              须至少提前 {m.minWorkingDaysAhead} 个工作日预约。{m.wording}
            </p>
            {m.offices === 'all' ? (
              <p>适用：全部办事地点（{data.offices.length} 个）</p>
            ) : (
              <Chips codes={m.offices} names={offices} empty="（未指定办事地点）" />
            )}
          </>
        )}
        {m.kind === 'info' && m.wording && <p>{m.wording}</p>}
        {'items' in m && (m.kind !== 'info' || m.items.length > 0) && (
          <Chips codes={m.items} names={items} empty={m.kind === 'long_prescription' ? '（在规则页公布，不限事项）' : '（未指定事项）'} />
        )}
      </div>
      {m.note && <p className="muted small">说明：{m.note}</p>}
      <details className="em-source">
        <summary>原文</summary>
        <blockquote>{m.source.text}</blockquote>
        {m.source.ref && <p className="muted small">出处：{m.source.ref}</p>}
      </details>
    </article>
  );
}

export function RegimePanel({ regime, data, onDone }: { regime: Regime; data: Data; onDone: (m: Msg) => void }) {
  const [editing, setEditing] = useState(false);
  const headRef = useRef<HTMLHeadingElement>(null);
  const doc = regime.doc;
  const hid = `em-regime-${doc.code}`;
  const latest = regime.versions[0];
  return (
    <section className="panel" aria-labelledby={hid}>
      <h2 id={hid} ref={headRef} tabIndex={-1}>
        应急预案：{doc.title}
      </h2>
      <p className="muted small">
        依据：{doc.source.issuer ? `${doc.source.issuer}《${doc.source.title}》` : `《${doc.source.title}》`}
        {doc.source.docNo ? `（${doc.source.docNo}）` : ''}
        {doc.source.issuedOn ? `，${doc.source.issuedOn}` : ''} · 第 {regime.version} 版
        {latest ? `（${latest.createdBy}，${fmtDateTime(latest.createdAt)}${latest.note ? `：${latest.note}` : ''}）` : ''}
      </p>
      {editing ? (
        <RegimeEditor
          regime={regime}
          data={data}
          onCancel={() => {
            setEditing(false);
            headRef.current?.focus();
          }}
          onSaved={(text) => {
            setEditing(false);
            onDone({ kind: 'ok', text });
          }}
        />
      ) : (
        <>
          <h3>公告</h3>
          <p>
            <strong>{doc.notice.title}</strong>：{doc.notice.text}
          </p>
          <h3>措施（{doc.measures.length} 项）</h3>
          {doc.measures.map((m) => (
            <MeasureCard key={m.id} m={m} data={data} />
          ))}
          {doc.notes.length > 0 && (
            <details>
              <summary>数据说明</summary>
              <ul className="small">
                {doc.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            </details>
          )}
          <details>
            <summary>版本记录（{regime.versions.length}）</summary>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">版本</th>
                    <th scope="col">来源</th>
                    <th scope="col">修订人与时间</th>
                    <th scope="col">说明</th>
                  </tr>
                </thead>
                <tbody>
                  {regime.versions.map((v) => (
                    <tr key={v.id}>
                      <td>第 {v.version} 版</td>
                      <td>{v.source === 'admin' ? '管理员修订' : v.source}</td>
                      <td>
                        {v.createdBy}，{fmtDateTime(v.createdAt)}
                      </td>
                      <td>{v.note}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          {data.can.manage && (
            <p>
              <button type="button" className="btn secondary" onClick={() => setEditing(true)}>
                修订措施
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
