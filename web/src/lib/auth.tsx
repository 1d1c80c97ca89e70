/** Who is logged in: GET /api/auth/me once, refreshed after login/logout. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, type UserOut } from './api.ts';
import { Link, navigate } from './router.tsx';

interface AuthState {
  me: UserOut | null;
  loading: boolean;
  refresh: () => Promise<UserOut | null>;
  logout: () => Promise<void>;
}

const AuthCtx = createContext<AuthState>({ me: null, loading: true, refresh: async () => null, logout: async () => {} });

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<UserOut | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      const r = await api.me();
      setMe(r.user);
      return r.user;
    } catch {
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);
  const logout = useCallback(async () => {
    await api.logout().catch(() => undefined);
    await refresh();
    navigate('/');
  }, [refresh]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <AuthCtx.Provider value={{ me, loading, refresh, logout }}>{children}</AuthCtx.Provider>;
}

export function useMe(): AuthState {
  return useContext(AuthCtx);
}

export const isStaff = (u: UserOut | null | undefined) => u?.kind === 'staff';

/** The login page address that comes back here afterwards. */
export function loginHref(next = location.pathname + location.search): string {
  return `/login?next=${encodeURIComponent(next)}`;
}

/** Render children only for a logged-in user (optionally staff only); otherwise go to the login page. */
export function RequireLogin({ staff, children }: { staff?: boolean; children: (me: UserOut) => ReactNode }) {
  const { me, loading } = useMe();
  useEffect(() => {
    if (!loading && !me) navigate(loginHref(), { replace: true });
  }, [loading, me]);
  if (loading || !me)
    return (
      <p className="muted" role="status">
        正在确认登录状态…
      </p>
    );
  if (staff !== undefined && isStaff(me) !== staff)
    return (
      <div className="error-box" role="alert">
        <p>{staff ? '此页面仅供经办机构工作人员使用。' : '工作人员账号不能以申请人身份办理，请在工作台使用“代为登记”。'}</p>
        <p>
          <Link href={staff ? '/me' : '/staff'}>{staff ? '前往我的办件' : '前往工作台'}</Link>
        </p>
      </div>
    );
  return <>{children(me)}</>;
}
