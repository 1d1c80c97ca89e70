/** The emergency admin page's extensions and history panels. */
import { fmtDateTime } from '../../lib/format.ts';
import { VALIDITY_TARGET_LABELS } from '../../../../common/emergency-kinds.ts';
import type { Data } from './admin-emergency-parts.ts';

// ---------------------------------------------------------------------------------------------
// Extensions and history

export function ExtensionsPanel({ data }: { data: Data }) {
  return (
    <section className="panel" aria-labelledby="em-ext-h">
      <h2 id="em-ext-h">已延长的有效期</h2>
      <p className="muted small">启用应急模式时自动延长，逐条记入参保信息库变更记录。关闭应急模式后，已延长的有效期保持不变。</p>
      {data.extensions.length === 0 ? (
        <p className="muted">暂无。</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">已延长的有效期</caption>
            <thead>
              <tr>
                <th scope="col">对象</th>
                <th scope="col">项目</th>
                <th scope="col">原有效期至</th>
                <th scope="col">延长至</th>
                <th scope="col">时间</th>
              </tr>
            </thead>
            <tbody>
              {data.extensions.map((x) => (
                <tr key={`${x.periodId}-${x.target}-${x.entityId}-${x.afterTo}`}>
                  <td>{x.label}</td>
                  <td>{VALIDITY_TARGET_LABELS[x.target]}</td>
                  <td className="nowrap">{x.beforeTo ?? '—'}</td>
                  <td className="nowrap">
                    <strong>{x.afterTo}</strong>
                  </td>
                  <td className="nowrap">{fmtDateTime(x.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function HistoryPanel({ data }: { data: Data }) {
  return (
    <section className="panel" aria-labelledby="em-hist-h">
      <h2 id="em-hist-h">启用记录</h2>
      {data.periods.length === 0 ? (
        <p className="muted">尚未启用过。</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">状态</th>
                <th scope="col">预案</th>
                <th scope="col">期间</th>
                <th scope="col">启用</th>
                <th scope="col">关闭</th>
              </tr>
            </thead>
            <tbody>
              {data.periods.map((p) => (
                <tr key={p.id}>
                  <td className="nowrap">{p.statusLabel}</td>
                  <td>
                    {p.title}（第 {p.version} 版）
                  </td>
                  <td className="nowrap">
                    {p.startDate} 至 {p.lastDay ?? '（未定）'}
                  </td>
                  <td>
                    {p.onBy}，{fmtDateTime(p.onAt)}
                    {p.note ? `：${p.note}` : ''}
                  </td>
                  <td>{p.offAt ? `${p.offBy}，${fmtDateTime(p.offAt)}：${p.offNote ?? ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
