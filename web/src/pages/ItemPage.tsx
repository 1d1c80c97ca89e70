import { useEffect, useMemo } from 'react';
import { api, type ItemOut } from '../lib/api.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link, navigate } from '../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../components/Layout.tsx';
import { Phones } from '../components/Contact.tsx';
import { checklist, type Answers } from '../../../common/checklist.ts';
import type { Material } from '../../../common/catalog.ts';
import { ItemBookLink } from '../features/appointments/BookLinks.tsx';
import { deferredOnline, emergencyChannels, ItemEmergencyNotices, useEmergency } from '../features/emergency/parts.tsx';

const FORM_LABEL: Record<string, string> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件及复印件',
  original_or_copy: '原件或复印件',
  electronic: '电子版',
  photo: '照片/图片',
  form: '填写表格',
};
const CHANNEL_ICON: Record<string, string> = {
  window: '窗口',
  online: '网上',
  mobile: '掌上',
  email: '邮箱',
  fax: '传真',
  post: '邮寄',
  phone: '电话',
  agent: '代办',
  self_service: '自助',
};

function MaterialLine({ m }: { m: Material }) {
  return (
    <>
      <span className="m-name">{m.name}</span>
      <span className="m-meta">
        {m.source && <span>资料来源：{m.source}</span>}
        {m.form && <span>{FORM_LABEL[m.form]}</span>}
        {m.count && <span>{m.count} 份</span>}
        {m.condition && <span>适用：{m.condition}</span>}
        {m.tolerable && <span className="tag ok">可容缺{m.toleranceDays ? `，受理后 ${m.toleranceDays} 个工作日内补正` : ''}</span>}
        {m.note && <span>{m.note}</span>}
      </span>
    </>
  );
}

function readAnswers(search: string, item: ItemOut): Answers {
  const sp = new URLSearchParams(search);
  const a: Answers = {};
  for (const q of item.questions) {
    const v = sp.get(q.id);
    if (v && q.options.some((o) => o.value === v)) a[q.id] = v;
  }
  return a;
}

export function ItemPage({ agency, code, search }: { agency: string; code: string; search: string }) {
  const s = useLoad(() => Promise.all([api.agency(agency), api.item(agency, code)]), [agency, code]);
  useEffect(() => {
    if (s.status === 'ok') document.title = `${s.data[1].name} · ${s.data[0].shortName} · 办事指南`;
  }, [s]);
  const item = s.status === 'ok' ? s.data[1] : null;
  const answers = useMemo(() => (item ? readAnswers(search, item) : {}), [item, search]);
  const result = useMemo(() => (item ? checklist(item, answers) : null), [item, answers]);
  const em = useEmergency(agency);
  if (s.status === 'loading') return <Loading />;
  if (s.status === 'error') return <ErrorBox message={s.error.message} />;
  const [ag, it] = s.data;
  const setAnswer = (qid: string, v: string) => {
    const sp = new URLSearchParams(search);
    if (v) sp.set(qid, v);
    else sp.delete(qid);
    const qs = sp.toString();
    navigate(`/a/${agency}/items/${it.code}${qs ? `?${qs}` : ''}#checklist`, { replace: true });
  };
  const dept = it.department ? ag.departments.find((d) => d.code === it.department) : undefined;
  const deferred = deferredOnline(em, it.code);
  const emc = emergencyChannels(em, it.code, it.channels);
  return (
    <article className="item">
      <Crumbs
        items={[
          { href: '/', label: '首页' },
          { href: `/a/${agency}`, label: ag.shortName },
          { href: `/a/${agency}#cat-${it.category.code}`, label: it.category.name },
          { label: it.name },
        ]}
      />
      <h1>{it.name}</h1>
      {deferred ? (
        <p className="em-deferred-cta" data-testid="item-deferred">
          <strong>应急期间暂缓办理：</strong>
          {deferred.message}
        </p>
      ) : (
        <p className="apply-cta no-print">
          <Link className="btn primary big" href={`/apply/${agency}/${it.code}`}>
            在线申请
          </Link>
          <span className="muted small">登录后在网上填写申请表、上传材料，无需到窗口。</span>
          <ItemBookLink agency={agency} item={it.code} />
        </p>
      )}
      <ItemEmergencyNotices em={em} itemCode={it.code} />
      <dl className="facts">
        <div>
          <dt>办理时限</dt>
          <dd>
            <strong>{it.timeLimit.text}</strong>
            {it.timeLimit.rule && <span className="muted">（{it.timeLimit.rule}）</span>}
            {it.timeLimit.perChannel && (
              <ul className="plain">
                {it.timeLimit.perChannel.map((p, i) => (
                  <li key={i}>
                    {p.channel}：{p.text}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>事项编码</dt>
          <dd>{it.code}</dd>
        </div>
        <div>
          <dt>事项类别</dt>
          <dd>
            {it.category.name}
            {it.local && <span className="tag">本地特色事项</span>}
          </dd>
        </div>
        {it.levels.length > 0 && (
          <div>
            <dt>办理层级</dt>
            <dd>{it.levels.join('、')}</dd>
          </div>
        )}
        {dept && (
          <div>
            <dt>承办部门</dt>
            <dd>{dept.name}</dd>
          </div>
        )}
      </dl>

      {(it.serviceObject || it.conditions.length > 0) && (
        <section>
          <h2>服务对象与条件</h2>
          {it.serviceObject && <p>{it.serviceObject}</p>}
          {it.conditions.length > 0 && (
            <ol>
              {it.conditions.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ol>
          )}
        </section>
      )}

      <section id="checklist" className="checklist">
        <h2>需提供材料{it.questions.length > 0 ? '（按您的情况生成清单）' : ''}</h2>
        {it.questions.length > 0 && (
          <form className="questions" onSubmit={(e) => e.preventDefault()} aria-describedby="q-help">
            <p id="q-help" className="muted">
              回答下面的问题，只显示与您有关的材料。可打印或保存此页链接。
            </p>
            {it.questions.map((q) => (
              <fieldset key={q.id}>
                <legend>{q.label}</legend>
                {q.options.map((o) => (
                  <label key={o.value} className="opt">
                    <input type="radio" name={q.id} value={o.value} checked={answers[q.id] === o.value} onChange={() => setAnswer(q.id, o.value)} />
                    {o.label}
                  </label>
                ))}
                {answers[q.id] && (
                  <button type="button" className="link" onClick={() => setAnswer(q.id, '')}>
                    清除
                  </button>
                )}
              </fieldset>
            ))}
          </form>
        )}
        {result && it.materials.length > 0 && (
          <>
            <h3>
              您需要准备的材料 <span className="count">{result.applies.length}</span>
            </h3>
            <ol className="materials" data-testid="materials-apply">
              {result.applies.map((m, i) => (
                <li key={i}>
                  <MaterialLine m={m} />
                </li>
              ))}
            </ol>
            {result.maybe.length > 0 && (
              <>
                <h3>
                  视情况需要的材料 <span className="count">{result.maybe.length}</span>
                </h3>
                {result.unanswered.length > 0 && <p className="muted">回答上面的问题可以确定这些材料是否需要。</p>}
                <ol className="materials maybe" data-testid="materials-maybe">
                  {result.maybe.map((m, i) => (
                    <li key={i}>
                      <MaterialLine m={m} />
                    </li>
                  ))}
                </ol>
              </>
            )}
            {result.excluded.length > 0 && (
              <details className="excluded">
                <summary>按您的回答无需提供的材料（{result.excluded.length}）</summary>
                <ul>
                  {result.excluded.map((m, i) => (
                    <li key={i}>
                      {m.name}
                      {m.condition ? `（适用：${m.condition}）` : ''}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <p className="no-print">
              <button type="button" onClick={() => window.print()}>
                打印材料清单
              </button>
            </p>
          </>
        )}
        {it.materialsText && (
          <div className="prose">
            <h3>原文说明</h3>
            <p>{it.materialsText}</p>
          </div>
        )}
        {it.materials.length === 0 && !it.materialsText && <p>该事项未列明材料，请咨询经办机构。</p>}
      </section>

      <section>
        <h2>办理渠道</h2>
        {emc.wording && (
          <p className="em-channels-note" data-testid="channels-emergency">
            <span className="tag em">应急期间</span> {emc.wording}
          </p>
        )}
        <ul className="channels">
          {emc.channels.map((c, i) => (
            <li key={i} className={c.promoted ? 'promoted' : undefined}>
              <span className="ch-kind">{CHANNEL_ICON[c.kind] ?? c.kind}</span>
              <div>
                <strong>{c.label}</strong>
                {c.promoted && <span className="tag em">应急期间推荐</span>}
                {c.detail && <p>{c.detail}</p>}
                {c.app && <p>应用：{c.app}</p>}
                {c.url && (
                  <p>
                    网址：
                    <a href={c.url} rel="noreferrer noopener" target="_blank">
                      {c.url}
                    </a>
                  </p>
                )}
                {c.email && (
                  <p>
                    邮箱：<a href={`mailto:${c.email}`}>{c.email}</a>
                  </p>
                )}
                {c.fax && <p>传真：{c.fax}</p>}
                {c.phone && (
                  <p>
                    电话：<a href={`tel:${c.phone}`}>{c.phone}</a>
                  </p>
                )}
                {c.address && <p>地址：{c.address}</p>}
              </div>
            </li>
          ))}
        </ul>
        {it.channels.length === 0 && <p>请咨询经办机构。</p>}
      </section>

      {it.steps.length > 0 && (
        <section>
          <h2>办理流程</h2>
          <ol>
            {it.steps.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ol>
        </section>
      )}
      {it.results.length > 0 && (
        <section>
          <h2>办理结果</h2>
          <ul>
            {it.results.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
        </section>
      )}
      {it.prohibitions.length > 0 && (
        <section className="warn-box">
          <h2>违规禁办情形</h2>
          <p>存在以下任一情形的，不予办理：</p>
          <ol>
            {it.prohibitions.map((p) => (
              <li key={p.code}>
                {p.text}
                {p.matter && <span className="muted">（{p.matter}）</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
      {it.tolerances.length > 0 && (
        <section className="ok-box">
          <h2>容缺办理</h2>
          <p>以下材料暂缺时可先受理，签署容缺承诺书后在期限内补交：</p>
          <ul>
            {it.tolerances.map((t, i) => (
              <li key={i}>
                {t.material}
                {t.deadlineText && `，${t.deadlineText}`}
                {t.deadlineText ? '补正' : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(it.notes.length > 0 || it.tips) && (
        <section>
          <h2>注意事项</h2>
          {it.notes.length > 0 && (
            <ol>
              {it.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ol>
          )}
          {it.tips && <p className="tip">{it.tips}</p>}
        </section>
      )}
      {(it.consultPhones.length > 0 || it.complaintPhones.length > 0) && (
        <section>
          <h2>咨询与投诉</h2>
          {it.consultPhones.length > 0 && (
            <p>
              咨询电话：
              <Phones list={it.consultPhones} />
            </p>
          )}
          {it.complaintPhones.length > 0 && (
            <p>
              咨询投诉电话：
              <Phones list={it.complaintPhones} />
            </p>
          )}
        </section>
      )}
      {it.ambiguities.length > 0 && (
        <details className="ambiguities">
          <summary>数据说明（原文存疑之处）</summary>
          <ul>
            {it.ambiguities.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}
