import { lazy, Suspense, useEffect } from 'react';
import { match, useLocation } from './lib/router.tsx';
import { Layout, Loading } from './components/Layout.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { AgencyPage } from './pages/AgencyPage.tsx';
import { ItemPage } from './pages/ItemPage.tsx';
import { OfficesPage } from './pages/OfficesPage.tsx';
import { RulesPage } from './pages/RulesPage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { RegisterPage } from './pages/RegisterPage.tsx';
import { VerifyPage } from './pages/VerifyPage.tsx';
import { ApplyPage } from './features/cases/ApplyPage.tsx';
import { MyCasesPage } from './features/cases/MyCasesPage.tsx';
import { MyCasePage } from './features/cases/MyCasePage.tsx';
import { QueuePage } from './features/staff/QueuePage.tsx';
import { StaffCasePage } from './features/staff/StaffCasePage.tsx';
import { StaffRegisterPage } from './features/staff/StaffRegisterPage.tsx';
import { OutOfTurnPage } from './features/staff/OutOfTurnPage.tsx';
import { CalendarPage } from './features/staff/CalendarPage.tsx';
import { TransfersPage } from './features/staff/TransfersPage.tsx';
import { PersonsPage } from './features/staff/PersonsPage.tsx';
import { PersonPage } from './features/staff/PersonPage.tsx';
import { IdentityCheckPage } from './features/staff/IdentityCheckPage.tsx';
import { UnitPage } from './features/unit/UnitPage.tsx';
import { UnitClerksPage } from './features/staff/UnitClerksPage.tsx';
import { AdminIndexPage } from './features/admin/AdminIndexPage.tsx';
import { BenefitsPage } from './features/admin/BenefitsPage.tsx';
import { RulePage, RulesPage as AdminRulesPage } from './features/admin/RulesPage.tsx';
import { InstitutionPage, InstitutionsPage } from './features/admin/InstitutionsPage.tsx';
import { LockoutsPage } from './features/admin/LockoutsPage.tsx';
import { AuthProvider } from './lib/auth.tsx';
import { feedbackRoute } from './features/feedback/routes.tsx';
import { accountsRoute } from './features/accounts/routes.tsx';
import { BookPage } from './features/appointments/BookPage.tsx';
import { MyAppointmentsPage } from './features/appointments/MyAppointmentsPage.tsx';
import { MyAppointmentPage } from './features/appointments/MyAppointmentPage.tsx';
import { HallPage } from './features/appointments/HallPage.tsx';
import { ApptSettingsPage } from './features/appointments/ApptSettingsPage.tsx';
import { AdminEmergencyPage } from './features/emergency/AdminEmergencyPage.tsx';
import { PostAuditPage } from './features/emergency/PostAuditPage.tsx';

// The dashboard carries ECharts: loaded only when the page is opened.
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })));

export function App() {
  return (
    <AuthProvider>
      <Routes />
    </AuthProvider>
  );
}

const positiveId = (s: string | undefined) => (s && /^\d{1,15}$/.test(s) && Number(s) > 0 ? Number(s) : null);

function Routes() {
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
  if ((m = match('/a/:agency/appointments', path)))
    return (
      <Layout agency={m.agency}>
        <BookPage key={m.agency} agency={m.agency!} search={loc.search} />
      </Layout>
    );
  if (path === '/me/appointments')
    return (
      <Layout>
        <MyAppointmentsPage />
      </Layout>
    );
  if ((m = match('/me/appointments/:id', path)) && positiveId(m.id))
    return (
      <Layout>
        <MyAppointmentPage key={path} id={positiveId(m.id)!} fresh={sp.get('new') === '1'} />
      </Layout>
    );
  if (path === '/staff/hall')
    return (
      <Layout>
        <HallPage />
      </Layout>
    );
  if (path === '/staff/appointments')
    return (
      <Layout>
        <ApptSettingsPage />
      </Layout>
    );
  if (path === '/login')
    return (
      <Layout>
        <LoginPage next={sp.get('next')} />
      </Layout>
    );
  if (path === '/register')
    return (
      <Layout>
        <RegisterPage next={sp.get('next')} />
      </Layout>
    );
  if (path === '/verify')
    return (
      <Layout>
        <VerifyPage />
      </Layout>
    );
  if ((m = match('/verify/:code', path)))
    return (
      <Layout>
        <VerifyPage code={m.code!} />
      </Layout>
    );
  if ((m = match('/apply/:agency/:item', path)))
    return (
      <Layout agency={m.agency}>
        <ApplyPage key={path} agency={m.agency!} item={m.item!} draftId={positiveId(sp.get('draft') ?? undefined)} />
      </Layout>
    );
  if (path === '/me')
    return (
      <Layout>
        <MyCasesPage />
      </Layout>
    );
  if (path === '/unit')
    return (
      <Layout>
        <UnitPage />
      </Layout>
    );
  if ((m = match('/me/cases/:id', path)) && positiveId(m.id))
    return (
      <Layout>
        <MyCasePage key={path} id={positiveId(m.id)!} />
      </Layout>
    );
  if (path === '/staff')
    return (
      <Layout>
        <QueuePage />
      </Layout>
    );
  if (path === '/staff/register')
    return (
      <Layout>
        <StaffRegisterPage />
      </Layout>
    );
  if (path === '/staff/out-of-turn')
    return (
      <Layout>
        <OutOfTurnPage />
      </Layout>
    );
  if (path === '/staff/unit-clerks')
    return (
      <Layout>
        <UnitClerksPage />
      </Layout>
    );
  if (path === '/staff/transfers')
    return (
      <Layout>
        <TransfersPage />
      </Layout>
    );
  if (path === '/staff/identity')
    return (
      <Layout>
        <IdentityCheckPage />
      </Layout>
    );
  if (path === '/staff/persons')
    return (
      <Layout>
        <PersonsPage search={loc.search} />
      </Layout>
    );
  if ((m = match('/staff/persons/:id', path)) && positiveId(m.id))
    return (
      <Layout>
        <PersonPage key={path} id={positiveId(m.id)!} />
      </Layout>
    );
  if (path === '/staff/dashboard')
    return (
      <Layout>
        <Suspense fallback={<Loading />}>
          <DashboardPage search={loc.search} />
        </Suspense>
      </Layout>
    );
  if (path === '/staff/calendar')
    return (
      <Layout>
        <CalendarPage />
      </Layout>
    );
  if (path === '/admin')
    return (
      <Layout>
        <AdminIndexPage />
      </Layout>
    );
  if (path === '/admin/benefits')
    return (
      <Layout>
        <BenefitsPage />
      </Layout>
    );
  if (path === '/admin/rules')
    return (
      <Layout>
        <AdminRulesPage />
      </Layout>
    );
  if ((m = match('/admin/rules/:code', path)))
    return (
      <Layout>
        <RulePage key={path} code={m.code!} />
      </Layout>
    );
  if (path === '/admin/institutions')
    return (
      <Layout>
        <InstitutionsPage />
      </Layout>
    );
  if ((m = match('/admin/institutions/:code', path)))
    return (
      <Layout>
        <InstitutionPage key={path} code={m.code!} />
      </Layout>
    );
  if (path === '/admin/lockouts')
    return (
      <Layout>
        <LockoutsPage />
      </Layout>
    );
  const feedback = feedbackRoute(path, loc.search);
  if (feedback) return <Layout>{feedback}</Layout>;
  const account = accountsRoute(path);
  if (account) return <Layout>{account}</Layout>;
  if (path === '/admin/emergency')
    return (
      <Layout>
        <AdminEmergencyPage />
      </Layout>
    );
  if (path === '/staff/post-audit')
    return (
      <Layout>
        <PostAuditPage />
      </Layout>
    );
  if ((m = match('/staff/cases/:id', path)) && positiveId(m.id))
    return (
      <Layout>
        <StaffCasePage key={path} id={positiveId(m.id)!} />
      </Layout>
    );
  return (
    <Layout>
      <NotFoundPage />
    </Layout>
  );
}
