/** 机构管理: what an agency admin changes without a deploy, one card each. */
import { Link } from '../../lib/router.tsx';
import { AdminPage, isAdmin } from './parts.tsx';

const SECTIONS = [
  { path: '/admin/benefits', title: '待遇参数', text: '生育津贴天数、报销起付线、比例和封顶线等计算参数：查看现行版本和历史，发布新版本。' },
  { path: '/admin/rules', title: '规则版本', text: '办理条件、禁办情形和不适用容缺的规则：查看各版本，编辑后发布新版本。' },
  { path: '/admin/institutions', title: '定点医药机构', text: '定点医院、基层医疗卫生机构和零售药店的协议期限与状态，以及科室、医保医师备案。' },
  { path: '/admin/lockouts', title: '待遇封锁期', text: '登记参保人的待遇封锁期，封锁期内住院费用等报销禁办；可提前解除。' },
  { path: '/staff/calendar', title: '工作日历', text: '法定节假日和调休上班日，办理时限按工作日计算。' },
];

export function AdminIndexPage() {
  return (
    <AdminPage title="机构管理">
      {(ctx) => (
        <>
          <p className="muted">
            以下数据由机构管理员直接修改，保存后即按生效日期生效，无需重新部署系统。每次修改都记录修改人和时间，并写入审计日志。
          </p>
          {!isAdmin(ctx.me) && (
            <p className="notice info" role="status">
              您可以查看这些数据；修改和发布需要机构管理员权限。
            </p>
          )}
          <ul className="cards admin-cards">
            {SECTIONS.map((s) => (
              <li key={s.path} className="card">
                <h2>
                  <Link href={s.path === '/staff/calendar' ? s.path : ctx.href(s.path)}>{s.title}</Link>
                </h2>
                <p className="muted small">{s.text}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </AdminPage>
  );
}
