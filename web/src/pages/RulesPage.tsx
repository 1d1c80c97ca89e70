import { useEffect } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link } from '../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../components/Layout.tsx';
import { EmergencyMeasures, useEmergency } from '../features/emergency/parts.tsx';
import { Table } from '../components/Table.tsx';

const MEASURE_KIND: Record<string, string> = { relaxed: '放宽办理', deferred: '延期办理', extension: '延期与顺延', other: '其他措施' };

export function RulesPage({ code }: { code: string }) {
  const s = useLoad(() => api.agency(code), [code]);
  const em = useEmergency(code);
  useEffect(() => {
    if (s.status === 'ok') document.title = `${s.data.shortName} · 禁办与容缺清单`;
  }, [s]);
  if (s.status === 'loading') return <Loading />;
  if (s.status === 'error') return <ErrorBox message={s.error.message} />;
  const ag = s.data;
  const kinds = [...new Set(ag.measures.map((m) => m.kind))];
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { href: `/a/${code}`, label: ag.shortName }, { label: '禁办、容缺与特别措施' }]} />
      <h1>{ag.shortName}禁办、容缺与特别措施</h1>
      <EmergencyMeasures em={em} />
      <h2 id="prohibitions">违规禁办事项清单</h2>
      {ag.prohibitionList.length === 0 ? (
        <p className="muted">该机构的指南未列出违规禁办事项。</p>
      ) : (
        <div className="table-wrap">
          <Table
            rows={ag.prohibitionList}
            columns={[
              { header: '禁办事项', cell: (p) => p.matter },
              {
                header: '禁办情形',
                cell: (p) => (
                  <ol className="tight">
                    {p.situations.map((x) => (
                      <li key={x.code}>{x.text}</li>
                    ))}
                  </ol>
                ),
              },
              {
                header: '涉及事项',
                cell: (p) =>
                  p.items.map((it, j) => (
                    <span key={it.code}>
                      {j > 0 && '、'}
                      <Link href={`/a/${code}/items/${it.code}`}>{it.name}</Link>
                    </span>
                  )),
              },
            ]}
          />
          {[...new Set(ag.prohibitionList.map((p) => p.note).filter(Boolean))].map((n) => (
            <p key={n} className="muted">
              注：{n}
            </p>
          ))}
        </div>
      )}
      <h2 id="tolerances">容缺办理事项清单</h2>
      {ag.toleranceList.length === 0 ? (
        <p className="muted">该机构的指南未列出容缺办理事项。</p>
      ) : (
        <div className="table-wrap">
          <Table
            rows={ag.toleranceList}
            rowKey={(t) => t.seq}
            columns={[
              { header: '序号', cell: (t) => t.seq },
              { header: '业务事项', cell: (t) => <Link href={`/a/${code}/items/${t.item}`}>{t.itemName}</Link> },
              { header: '可容缺资料', cell: (t) => t.material },
              { header: '资料来源', cell: (t) => t.source },
              { header: '补正时间', cell: (t) => t.deadlineText ?? (t.deadlineDays ? `${t.deadlineDays}个工作日` : '') },
            ]}
          />
        </div>
      )}
      {kinds.map((k) => (
        <section key={k}>
          <h2>{MEASURE_KIND[k]}</h2>
          <ol>
            {ag.measures
              .filter((m) => m.kind === k)
              .map((m) => (
                <li key={m.seq + m.title}>
                  <strong>{m.title}</strong>
                  <p>{m.text}</p>
                </li>
              ))}
          </ol>
        </section>
      ))}
      {ag.notices.length > 0 && (
        <section>
          <h2>其他说明</h2>
          {ag.notices.map((n, i) => (
            <div key={i}>
              <h3>{n.title}</h3>
              <p>{n.text}</p>
            </div>
          ))}
        </section>
      )}
    </section>
  );
}
