/** 机构管理: what an agency admin changes without a deploy, one card each. */
import { useId, useState } from 'react';
import { Link } from '../../lib/router.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { ApiError } from '../../lib/api.ts';
import { Pending } from '../../components/Layout.tsx';
import { AdminPage, isAdmin, type AdminCtx } from './parts.tsx';

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
          <Duties ctx={ctx} />
        </>
      )}
    </AdminPage>
  );
}

/** 职责分离 (common/duties.ts): the acceptor does not review, 复核 by a third person; on unless turned off. */
function Duties({ ctx }: { ctx: AdminCtx }) {
  const { data, error, reload, setData } = useLoad(() => ctx.api.duties(), [ctx.api]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  if (!data) return <Pending error={error} retry={reload} />;
  const toggle = async (on: boolean) => {
    setSaving(true);
    setProblem(null);
    try {
      setData(await ctx.api.setDuties(on));
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : '保存失败，请重试。');
    } finally {
      setSaving(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>职责分离</h2>
      <p className="muted small">开启时，受理办件的工作人员不能审核该办件；有复核环节的事项，复核须由受理人和审核人以外的第三人办理。</p>
      <label>
        <input
          type="checkbox"
          checked={data.separationOfDuties}
          disabled={!data.canChange || saving}
          onChange={(e) => void toggle(e.target.checked)}
        />{' '}
        本机构实行职责分离
      </label>
      {problem && (
        <p className="notice error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
