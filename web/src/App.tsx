import { useEffect } from 'react';
import { match, useLocation } from './lib/router.tsx';
import { Layout } from './components/Layout.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { AgencyPage } from './pages/AgencyPage.tsx';
import { ItemPage } from './pages/ItemPage.tsx';
import { OfficesPage } from './pages/OfficesPage.tsx';
import { RulesPage } from './pages/RulesPage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

export function App() {
  const loc = useLocation();
  const path = loc.path.replace(/\/+$/, '') || '/';
  const sp = new URLSearchParams(loc.search);
  useEffect(() => {
    if (loc.hash) document.getElementById(decodeURIComponent(loc.hash.slice(1)))?.scrollIntoView();
  }, [loc.path, loc.hash]);

  let m: Record<string, string> | null;
  if (path === '/')
    return (
      <Layout>
        <HomePage />
      </Layout>
    );
  if (path === '/search') {
    const agency = sp.get('agency') ?? undefined;
    return (
      <Layout agency={agency}>
        <SearchPage q={sp.get('q') ?? ''} agency={agency} />
      </Layout>
    );
  }
  if ((m = match('/a/:agency', path)))
    return (
      <Layout agency={m.agency}>
        <AgencyPage code={m.agency!} />
      </Layout>
    );
  if ((m = match('/a/:agency/items/:item', path)))
    return (
      <Layout agency={m.agency}>
        <ItemPage agency={m.agency!} code={m.item!} search={loc.search} />
      </Layout>
    );
  if ((m = match('/a/:agency/offices', path)))
    return (
      <Layout agency={m.agency}>
        <OfficesPage code={m.agency!} />
      </Layout>
    );
  if ((m = match('/a/:agency/rules', path)))
    return (
      <Layout agency={m.agency}>
        <RulesPage code={m.agency!} />
      </Layout>
    );
  return (
    <Layout>
      <NotFoundPage />
    </Layout>
  );
}
