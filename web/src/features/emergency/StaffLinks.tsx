/** The workbench buttons to emergency mode and the post-audit queue, for the roles that use them. */
import { Link } from '../../lib/router.tsx';

export function EmergencyStaffLinks({ roles }: { roles: readonly string[] }) {
  const admin = roles.some((r) => r === 'agency_admin' || r === 'supervisor');
  const audit = roles.some((r) => r === 'reviewer' || r === 'rechecker' || r === 'agency_admin' || r === 'supervisor');
  return (
    <>
      {audit && (
        <Link className="btn secondary" href="/staff/post-audit">
          事后审核
        </Link>
      )}
      {admin && (
        <Link className="btn secondary" href="/admin/emergency">
          应急模式
        </Link>
      )}
    </>
  );
}
