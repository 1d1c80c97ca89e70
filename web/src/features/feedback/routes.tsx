/** The 好差评与投诉 pages, matched in one place so App.tsx needs a single call. */
import type { ReactNode } from 'react';
import { match } from '../../lib/router.tsx';
import { FeedbackDeskPage } from './FeedbackDeskPage.tsx';
import { MyComplaintPage, MyComplaintsPage, NewComplaintPage } from './MyComplaints.tsx';
import { RectificationPage } from './RectificationPage.tsx';
import { PhoneComplaintPage, StaffComplaintPage } from './StaffComplaints.tsx';

const positiveId = (s: string | undefined | null) => (s && /^\d{1,15}$/.test(s) && Number(s) > 0 ? Number(s) : null);

/** The page for `path`, or null when it is not one of ours. */
export function feedbackRoute(path: string, search: string): ReactNode | null {
  const sp = new URLSearchParams(search);
  let m: Record<string, string> | null;
  if (path === '/me/complaints') return <MyComplaintsPage />;
  if (path === '/me/complaints/new')
    return <NewComplaintPage key={search} agency={sp.get('agency') ?? undefined} caseId={positiveId(sp.get('case')) ?? undefined} />;
  if ((m = match('/me/complaints/:id', path)) && positiveId(m.id))
    return <MyComplaintPage key={path} id={positiveId(m.id)!} fresh={sp.get('new') === '1'} />;
  if (path === '/staff/feedback') return <FeedbackDeskPage search={search} />;
  if (path === '/staff/feedback/complaints/new') return <PhoneComplaintPage />;
  if ((m = match('/staff/feedback/complaints/:id', path)) && positiveId(m.id)) return <StaffComplaintPage key={path} id={positiveId(m.id)!} />;
  if ((m = match('/staff/feedback/rectifications/:id', path)) && positiveId(m.id)) return <RectificationPage key={path} id={positiveId(m.id)!} />;
  return null;
}
