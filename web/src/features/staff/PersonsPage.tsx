/**
 * /staff/persons: 查找参保人 by 公民身份号码, or by name (with the birth date to narrow it down).
 * Finds only persons with an enrolment or a case at the staff member's agency; every search is
 * recorded. The query is kept in the address, so going back shows the same results.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { asApiError } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { ErrorSummary, Field, describedBy, idProblemText } from '../../components/Form.tsx';
import { citizenIdProblem } from '../../../../common/ids.ts';
import { todayChina } from '../../lib/format.ts';
import { personsApi, type PersonSearchOut } from './personsApi.ts';
import { problemsOf, byField, type Problem } from './personParts.tsx';
import './persons.css';

export function PersonsPage({ search }: { search: string }) {
  return <RequireLogin staff>{() => <Search search={search} />}</RequireLogin>;
}

const SEX = { M: '男', F: '女' } as const;

function Search({ search }: { search: string }) {
  const sp = new URLSearchParams(search);
  const asked = { idNo: sp.get('idNo') ?? '', name: sp.get('name') ?? '', birthDate: sp.get('birthDate') ?? '' };
  const [v, setV] = useState(asked);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [result, setResult] = useState<PersonSearchOut | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const id = useId();
  const errors = byField(problems);

  useEffect(() => {
    document.title = '参保人档案 · 工作台';
  }, []);
  // Run the search the address asks for (after a submit, or when coming back to it).
  useEffect(() => {
    setV(asked);
    if (!asked.idNo && !asked.name) {
      setResult(null);
      return;
    }
    let live = true;
    setBusy(true);
    personsApi.search(asked).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setError('');
        setProblems([]);
        setBusy(false);
        requestAnimationFrame(() => resultsRef.current?.focus());
      },
      (e: unknown) => {
        if (!live) return;
        const p = problemsOf(e);
        setResult(null);
        if (p.some((x) => x.field)) setProblems(p);
        else setError(asApiError(e).message);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [search]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const idNo = v.idNo.trim().toUpperCase();
    const name = v.name.trim();
    if (!idNo && !name) {
      setProblems([{ field: 'idNo', message: '请填写公民身份号码，或填写姓名（可加出生日期）。' }]);
      return;
    }
    const idp = idNo ? idProblemText(citizenIdProblem(idNo, todayChina())) : null;
    if (idp) {
      setProblems([{ field: 'idNo', message: idp }]);
      return;
    }
    setProblems([]);
    const q = new URLSearchParams(idNo ? { idNo } : { name, ...(v.birthDate ? { birthDate: v.birthDate } : {}) });
    navigate(`/staff/persons?${q}`);
  };
  const prefix = 'ps';

  return (
    <section className="staff persons">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '参保人档案' }]} />
      <h1>参保人档案</h1>
      <p className="muted">按公民身份号码查找，或按姓名（可加出生日期）查找。只能查到在本机构参保登记或办理过业务的人员；每次查找和查看都会留痕。</p>
      <form className="panel person-search" role="search" aria-label="查找参保人" onSubmit={submit} noValidate>
        <ErrorSummary title="请修改以下内容：" problems={problems} prefix={prefix} />
        <Field id={`${prefix}-idNo`} label="公民身份号码" error={errors.idNo} help="填写身份号码时按号码查找，姓名和出生日期不用填。">
          <input
            id={`${prefix}-idNo`}
            className="mono"
            maxLength={18}
            autoComplete="off"
            spellCheck={false}
            value={v.idNo}
            onChange={(e) => setV((x) => ({ ...x, idNo: e.target.value.toUpperCase().trim() }))}
            aria-invalid={errors.idNo ? true : undefined}
            aria-describedby={describedBy(`${prefix}-idNo`, true, errors.idNo)}
          />
        </Field>
        <p className="muted small person-or" aria-hidden="true">
          或
        </p>
        <div className="person-search-grid">
          <Field id={`${prefix}-name`} label="姓名" error={errors.name}>
            <input
              id={`${prefix}-name`}
              maxLength={30}
              autoComplete="off"
              value={v.name}
              onChange={(e) => setV((x) => ({ ...x, name: e.target.value }))}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy(`${prefix}-name`, false, errors.name)}
            />
          </Field>
          <Field id={`${prefix}-birthDate`} label="出生日期" error={errors.birthDate}>
            <input
              id={`${prefix}-birthDate`}
              type="date"
              value={v.birthDate}
              onChange={(e) => setV((x) => ({ ...x, birthDate: e.target.value }))}
              aria-invalid={errors.birthDate ? true : undefined}
              aria-describedby={describedBy(`${prefix}-birthDate`, false, errors.birthDate)}
            />
          </Field>
        </div>
        <div className="actions-row">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? '正在查找…' : '查找'}
          </button>
        </div>
      </form>
      {error && <ErrorBox message={error} />}
      {busy && <Loading />}
      {result && !busy && (
        <section aria-labelledby={`${id}-h`}>
          <h2 id={`${id}-h`} ref={resultsRef} tabIndex={-1}>
            查找结果（{result.items.length} 人）
          </h2>
          {result.items.length === 0 ? (
            <p className="empty">
              {result.by === 'idNo'
                ? '没有找到：此公民身份号码的人员未在本机构参保登记或办理过业务。'
                : '没有找到同名人员：请核对姓名，或改用公民身份号码查找。'}
            </p>
          ) : (
            <ul className="person-hits">
              {result.items.map((h) => (
                <li key={h.id}>
                  <Link href={`/staff/persons/${h.id}`} className="person-hit">
                    <span className="person-hit-name">{h.name}</span>
                    <span className="mono small">{h.idNoMasked}</span>
                    <span className="small muted">
                      {SEX[h.sex]} · {h.birthDate}（{h.age}周岁）
                      {h.status === 'deceased' && ' · 已死亡'}
                    </span>
                    <span className={`tag${h.enrolledHere ? ' ok' : ''}`}>{h.enrolledHere ? '本机构参保' : '本机构办件'}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {result.truncated && <p className="muted small">同名人员较多，只显示前 {result.items.length} 人；请加上出生日期缩小范围。</p>}
        </section>
      )}
    </section>
  );
}
