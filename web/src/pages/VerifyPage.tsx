/** 文书核验 (public): enter or follow a QR code's verification code. */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/useLoad.ts';
import { navigate } from '../lib/router.tsx';
import { Crumbs, Loading } from '../components/Layout.tsx';
import { Field } from '../components/Form.tsx';

export function VerifyPage({ code }: { code?: string }) {
  const [input, setInput] = useState(code ?? '');
  useEffect(() => {
    document.title = '文书核验 · 医保经办服务平台';
    setInput(code ?? '');
  }, [code]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = input.trim();
    if (t) navigate(`/verify/${encodeURIComponent(t)}`);
  };
  return (
    <section className="narrow">
      <Crumbs items={[{ href: '/', label: '首页' }, { label: '文书核验' }]} />
      <h1>文书核验</h1>
      <p className="muted">输入文书上的核验码，或用手机扫描文书上的二维码，核验文书真伪。</p>
      <form className="panel form inline-form" onSubmit={submit} role="search">
        <Field id="verify-code" label="核验码" required>
          <input
            id="verify-code"
            className="mono"
            value={input}
            maxLength={30}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setInput(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn primary">
          核验
        </button>
      </form>
      {code && <VerifyResult code={code} />}
    </section>
  );
}

function VerifyResult({ code }: { code: string }) {
  const s = useLoad(() => api.verify(code), [code]);
  if (s.status === 'loading') return <Loading />;
  if (s.status === 'error')
    return (
      <div className="verify bad" role="alert">
        <p className="verify-head">
          <span aria-hidden="true">✕</span> 未找到该文书
        </p>
        <p>{s.error.code === 'DOCUMENT_NOT_FOUND' ? s.error.message : `核验暂时无法完成：${s.error.message}`}</p>
        <p className="muted small">请核对核验码（不区分大小写）。如仍有疑问，请致电出具文书的经办机构。</p>
      </div>
    );
  const d = s.data;
  return (
    <div className="verify good" role="status">
      <p className="verify-head">
        <span aria-hidden="true">✓</span> 文书真实有效
      </p>
      <dl className="answers">
        <div>
          <dt>文书名称</dt>
          <dd>{d.title}</dd>
        </div>
        <div>
          <dt>出具机构</dt>
          <dd>{d.agencyName}</dd>
        </div>
        <div>
          <dt>服务事项</dt>
          <dd>{d.itemName}</dd>
        </div>
        <div>
          <dt>办件编号</dt>
          <dd className="mono">{d.caseNo}</dd>
        </div>
        <div>
          <dt>文书编号</dt>
          <dd className="mono">{d.docNo}</dd>
        </div>
        <div>
          <dt>出具日期</dt>
          <dd>{d.issuedOn}</dd>
        </div>
        <div>
          <dt>申请人</dt>
          <dd>{d.applicantMasked}</dd>
        </div>
        <div>
          <dt>办件当前状态</dt>
          <dd>{d.status}</dd>
        </div>
      </dl>
    </div>
  );
}
