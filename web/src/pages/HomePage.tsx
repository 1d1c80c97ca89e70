import { useEffect } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link } from '../lib/router.tsx';
import { ErrorBox, Loading } from '../components/Layout.tsx';

export function HomePage() {
  const s = useLoad(() => api.agencies(), []);
  useEffect(() => {
    document.title = '医保经办服务平台';
  }, []);
  return (
    <section>
      <h1>医保经办服务事项与办事指南</h1>
      <p className="lead">选择您参保所在的经办机构，查看服务事项、所需材料、办理渠道和时限。材料一次告知，少跑腿。</p>
      {s.status === 'loading' && <Loading />}
      {s.status === 'error' && <ErrorBox message={s.error.message} retry={() => location.reload()} />}
      {s.status === 'ok' && (
        <ul className="cards agencies">
          {s.data.map((a) => (
            <li key={a.code} className="card">
              <h2>
                <Link href={`/a/${a.code}`}>{a.name}</Link>
              </h2>
              <p className="muted">
                {a.region.province}
                {a.region.name !== a.region.province ? ` · ${a.region.name}` : ''}
              </p>
              <p>
                {a.itemCount} 个服务事项 · {a.officeCount} 个办事地点
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
