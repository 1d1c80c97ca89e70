import { useEffect, useState, type ReactNode, type FormEvent } from 'react';
import { Link, navigate } from '../lib/router.tsx';
import { api, type AgencySummary } from '../lib/api.ts';
import { useMe } from '../lib/auth.tsx';
import { EmergencyBanner } from '../features/emergency/parts.tsx';

const LARGE_KEY = 'ui.largeText';

export function useLargeText(): [boolean, (v: boolean) => void] {
  const [on, setOn] = useState(() => localStorage.getItem(LARGE_KEY) === '1');
  useEffect(() => {
    document.documentElement.classList.toggle('large-text', on);
    localStorage.setItem(LARGE_KEY, on ? '1' : '0');
  }, [on]);
  return [on, setOn];
}

export function Layout({ agency, children }: { agency?: string; children: ReactNode }) {
  const [large, setLarge] = useLargeText();
  const [agencies, setAgencies] = useState<AgencySummary[]>([]);
  const [q, setQ] = useState(() => new URLSearchParams(location.search).get('q') ?? '');
  const { me, loading, logout } = useMe();
  const staff = me?.kind === 'staff';
  useEffect(() => {
    api.agencies().then(setAgencies, () => setAgencies([]));
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = q.trim();
    if (!t) return;
    navigate(`/search?q=${encodeURIComponent(t)}${agency ? `&agency=${agency}` : ''}`);
  };
  return (
    <>
      <a className="skip" href="#main">
        跳到主要内容
      </a>
      <header className="top">
        <div className="wrap top-row">
          <Link href="/" className="brand">
            <span aria-hidden="true" className="logo">
              ✚
            </span>
            医保经办服务平台
          </Link>
          <div className="top-right">
            <button type="button" className="large-toggle" aria-pressed={large} onClick={() => setLarge(!large)}>
              {large ? '标准字号' : '大字版'}
            </button>
          </div>
        </div>
        <nav className="wrap account-nav" aria-label="账号">
          {loading ? null : me ? (
            <>
              <span className="who">
                <span className="sr-only">当前登录：</span>
                {me.name}
                {staff ? '（工作人员）' : ''}
              </span>
              {staff ? <Link href="/staff">工作台</Link> : me.kind === 'unit' ? <Link href="/unit">单位网厅</Link> : <Link href="/me">我的办件</Link>}
              {staff && me.roles.some((r) => r === 'agency_admin' || r === 'sysadmin') && <Link href="/admin">机构管理</Link>}
              {staff ? <Link href="/staff/feedback">好差评与投诉</Link> : <Link href="/me/complaints">我的投诉</Link>}
              <Link href="/account/security">账号安全</Link>
              <button type="button" className="link-btn" onClick={() => void logout()}>
                退出
              </button>
            </>
          ) : (
            <>
              <Link
                href={
                  ['/login', '/register', '/reset-password', '/'].includes(location.pathname)
                    ? '/login'
                    : `/login?next=${encodeURIComponent(location.pathname + location.search)}`
                }
              >
                登录
              </Link>
              <Link href="/register">注册</Link>
            </>
          )}
          <Link href="/verify">文书核验</Link>
        </nav>
        <div className="wrap top-tools">
          <label className="sr-only" htmlFor="agency-switch">
            选择经办机构
          </label>
          <select id="agency-switch" value={agency ?? ''} onChange={(e) => navigate(e.target.value ? `/a/${e.target.value}` : '/')}>
            <option value="">全部机构</option>
            {agencies.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
          <form role="search" onSubmit={submit} className="search-form">
            <label className="sr-only" htmlFor="q">
              搜索服务事项
            </label>
            <input
              id="q"
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder="搜索事项，如：生育津贴、异地就医"
              maxLength={200}
            />
            <button type="submit">搜索</button>
          </form>
        </div>
      </header>
      <EmergencyBanner agency={agency ?? (staff ? me?.agencyCode : null)} />
      <main id="main" className="wrap" tabIndex={-1}>
        {children}
      </main>
      <footer className="foot wrap">
        <p>
          本平台数据来自各经办机构公开发布的办事指南。<Link href="/">选择机构</Link> · <a href="/api/docs">开放接口</a>
        </p>
      </footer>
    </>
  );
}

export function Loading() {
  return (
    <p className="muted" role="status">
      正在加载…
    </p>
  );
}

export function ErrorBox({ message, retry, children }: { message: string; retry?: () => void; children?: ReactNode }) {
  return (
    <div className="error-box" role="alert">
      <p>{message}</p>
      <p>
        {children}
        {children && ' '}
        {retry && (
          <button type="button" onClick={retry}>
            重试
          </button>
        )}{' '}
        <Link href="/">返回首页</Link>
      </p>
    </div>
  );
}

/** What a page shows while its data is not there (lib/useLoad): the error with 重试, or that it is loading. */
export function Pending({ error, retry }: { error: { message: string } | null; retry: () => unknown }) {
  return error ? <ErrorBox message={error.message} retry={() => void retry()} /> : <Loading />;
}

export function Crumbs({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="当前位置" className="crumbs">
      <ol>
        {items.map((c, i) => (
          <li key={i}>{c.href ? <Link href={c.href}>{c.label}</Link> : <span aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}
