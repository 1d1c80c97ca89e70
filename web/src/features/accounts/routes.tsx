/** The account pages (账号安全, 找回密码), matched in one place so App.tsx needs a single call. */
import type { ReactNode } from 'react';
import { ResetPasswordPage } from './ResetPasswordPage.tsx';
import { SecurityPage } from './SecurityPage.tsx';

/** The page for `path`, or null when it is not one of ours. */
export function accountsRoute(path: string): ReactNode | null {
  if (path === '/account/security') return <SecurityPage />;
  if (path === '/reset-password') return <ResetPasswordPage />;
  return null;
}
