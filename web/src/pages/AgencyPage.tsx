import { useEffect } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link } from '../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../components/Layout.tsx';

export function AgencyPage({ code }: { code: string }) {
  const s = useLoad(() => Promise.all([api.agency(code), api.items(code)]), [code]);
  useEffect(() => {
    if (s.status === 'ok') document.title = `${s.data[0].name} · 服务事项`;
  }, [s]);
  if (s.status === 'loading') return <Loading />;
  if (s.status === 'error') return <ErrorBox message={s.error.message} />;
  const [agency, items] = s.data;
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { label: agency.shortName }]} />
      <h1>{agency.name}</h1>
      <p className="muted">
        {agency.source.title}
        {agency.source.docNumber ? `（${agency.source.docNumber}）` : ''} · 事项清单第 {agency.version.version} 版，{agency.version.effectiveFrom}{' '}
        起施行
      </p>
      <nav aria-label="机构栏目" className="pills">
        <Link href={`/a/${code}/offices`}>办事大厅与电话</Link>
        {(agency.prohibitionList.length > 0 || agency.toleranceList.length > 0 || agency.measures.length > 0) && (
          <Link href={`/a/${code}/rules`}>
            {[agency.prohibitionList.length && '禁办', agency.toleranceList.length && '容缺', agency.measures.length && '特别措施']
              .filter(Boolean)
              .join('·')}
            清单
          </Link>
        )}
        <a href={`/api/agencies/${code}/guide.html`}>办事指南手册（打印）</a>
        <a href={`/api/agencies/${code}/guide.pdf`}>下载 PDF</a>
      </nav>
      <nav aria-label="事项分类" className="toc">
        <h2 className="sr-only">事项分类</h2>
        <ul>
          {agency.categories.map((c) => (
            <li key={c.code}>
              <a href={`#cat-${c.code}`}>
                {c.name} <span className="count">{c.itemCount}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {agency.categories.map((c) => (
        <section key={c.code} id={`cat-${c.code}`} className="category">
          <h2>{c.name}</h2>
          <ul className="item-list">
            {items
              .filter((i) => i.category.code === c.code)
              .map((i) => (
                <li key={i.code}>
                  <Link href={`/a/${code}/items/${i.code}`}>
                    <span className="item-name">{i.name}</span>
                    <span className="item-meta">
                      {i.timeLimit.short}
                      {i.tolerances.length > 0 && <span className="tag ok">可容缺</span>}
                      {i.prohibitions.length > 0 && <span className="tag warn">有禁办情形</span>}
                    </span>
                  </Link>
                </li>
              ))}
          </ul>
        </section>
      ))}
      {agency.source.preface.length > 0 && (
        <aside className="note">
          {agency.source.preface.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </aside>
      )}
    </section>
  );
}
