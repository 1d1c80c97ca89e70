import { useEffect } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link } from '../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../components/Layout.tsx';

function Highlight({ text, q }: { text: string; q: string }) {
  const terms = q.split(/\s+/).filter(Boolean);
  if (!terms.length) return <>{text}</>;
  const re = new RegExp(`(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  return <>{text.split(re).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : <span key={i}>{part}</span>))}</>;
}

export function SearchPage({ q, agency }: { q: string; agency?: string }) {
  const s = useLoad(() => (q.trim() ? api.search(q, agency) : Promise.resolve(null)), [q, agency]);
  useEffect(() => {
    document.title = q ? `搜索：${q}` : '搜索';
  }, [q]);
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, ...(agency ? [{ href: `/a/${agency}`, label: '本机构' }] : []), { label: '搜索' }]} />
      <h1>搜索{q ? `「${q}」` : ''}</h1>
      {!q.trim() && <p>请在上方输入要找的事项，例如「生育津贴」「异地就医」「参保凭证」。</p>}
      {s.status === 'loading' && <Loading />}
      {s.status === 'error' && <ErrorBox message={s.error.message} />}
      {s.status === 'ok' && s.data && (
        <>
          <p role="status" className="result-count">
            {s.data.agency ? `在${s.data.byAgency.find((b) => b.agency === s.data!.agency)?.name ?? ''}` : '在全部机构'}找到{' '}
            <strong>{s.data.total}</strong> 个相关事项
          </p>
          {s.data.byAgency.length > 1 && (
            <nav aria-label="按机构筛选" className="pills">
              <Link href={`/search?q=${encodeURIComponent(q)}`} aria-current={!agency ? 'page' : undefined}>
                全部 {s.data.byAgency.reduce((n, b) => n + b.count, 0)}
              </Link>
              {s.data.byAgency.map((b) => (
                <Link
                  key={b.agency}
                  href={`/search?q=${encodeURIComponent(q)}&agency=${b.agency}`}
                  aria-current={agency === b.agency ? 'page' : undefined}
                >
                  {b.name} {b.count}
                </Link>
              ))}
            </nav>
          )}
          <ol className="results">
            {s.data.results.map((r) => (
              <li key={r.agency + r.code}>
                <Link href={`/a/${r.agency}/items/${r.code}`}>
                  <span className="item-name">
                    <Highlight text={r.name} q={s.data!.q} />
                  </span>
                </Link>
                <p className="muted">
                  {r.agencyName} · {r.categoryName} · {r.timeLimit}
                </p>
                <p className="snippet">
                  <Highlight text={r.snippet} q={s.data!.q} />
                </p>
              </li>
            ))}
          </ol>
          {s.data.total === 0 && (
            <div className="empty">
              <p>没有找到包含「{s.data.q}」的事项。您可以：</p>
              <ul>
                {s.data.suggestions.map((x, i) => (
                  <li key={i}>{x.href ? <Link href={x.href}>{x.text}</Link> : x.text}</li>
                ))}
                <li>换一个说法，例如「报销」「备案」「参保」</li>
                <li>
                  <Link href={agency ? `/a/${agency}/offices` : '/'}>{agency ? '查看办事大厅与咨询电话' : '选择经办机构浏览全部事项'}</Link>
                </li>
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
