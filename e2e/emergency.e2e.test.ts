/**
 * Emergency mode in real Chromium: 大连's admin revises the 2020 regime (which items are deferred
 * and passed automatically, the new agreement date) and switches it on; the banner is on every page,
 * a deferred item refuses a new application with the regime's message, an auto-pass item is
 * completed at once and lands in the post-audit queue, the guides promote the contactless channels,
 * the long-prescription rule is published and the halls take appointments only. Switched off, all of
 * it is gone except the extended agreement. Registry records are seeded; people act through the UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { seedPerson } from '../test/registry.ts';
import { PNG_BYTES, registerCitizen, testIdNo } from '../test/client.ts';
import { chinaDate } from '../server/platform/clock.ts';
import { DESKTOP, PHONE, expectAccessible, launch } from './support.ts';
import { citizenLogin, file, mainText, newContext, newStaff, shots as shotsAt, staffLogin } from './journeys.ts';

const shots = (page: Page, name: string) => shotsAt(page, 'emerg', name);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

let s: TestServer;
let browser: Browser;
before(async () => {
  [s, browser] = await Promise.all([startServer(), launch()]);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

const banner = (page: Page) => page.getByRole('region', { name: '应急公告' });

test('大连 emergency mode on and off: banner, deferral, auto-pass with post-audit, channels, 长处方, appointments', async () => {
  const today = chinaDate(s.clockNow());
  const until = addDays(today, 90);
  // A designated hospital whose agreement ends during the regime, and a retired citizen (异地安置 is for retirees).
  await s.dbh.db
    .insertInto('institutions')
    .values({
      code: 'H21020300001',
      agency_code: 'dalian',
      name: '大连市西岗区测试医院',
      kind: 'hospital',
      agreement_from: '2024-01-01',
      agreement_to: addDays(today, 15),
    })
    .execute();
  const citizen = await registerCitizen(s, { name: '赵德明', idNo: testIdNo('210203', '19560303', 'M') });
  const pid = await seedPerson(s.dbh.db, {
    idNo: citizen.idNo,
    name: '赵德明',
    agency: 'dalian',
    enrol: [{ type: 'employee', start: '1990-01-01' }],
  });
  await s.dbh.db.updateTable('enrolments').set({ employment: 'retired' }).where('person_id', '=', pid).execute();
  const admin = await newStaff(s, 'dalian', ['agency_admin'], '大连管理员');
  const reviewer = await newStaff(s, 'dalian', ['reviewer'], '大连审核员');

  // ---- Before: the example regime is loaded but not in force.
  const pub = await (await newContext(browser, s, PHONE)).newPage();
  await pub.goto('/a/dalian');
  await pub.getByRole('heading', { level: 1 }).first().waitFor();
  assert.equal(await banner(pub).count(), 0, 'inactive by default');

  // ---- The admin revises the regime and switches it on.
  const actx = await newContext(browser, s, DESKTOP);
  const ap = await actx.newPage();
  await staffLogin(ap, s, admin);
  await ap.getByRole('link', { name: '应急模式' }).click();
  await ap.getByRole('heading', { level: 1, name: '应急模式' }).waitFor();
  await ap.getByTestId('emergency-status').getByText('未启用').waitFor();
  await ap.getByRole('heading', { name: /应急预案：新型冠状病毒感染的疫情防控期间/ }).waitFor();
  const dialysis = ap.getByRole('article', { name: '简化透析审核方式' });
  await dialysis.getByText('原文', { exact: true }).click();
  await dialysis.getByText(/将透析审核业务调整为疫情期间先自动通过，待疫情结束后再审核的方式/).waitFor(); // the seed, cited
  await expectAccessible(ap, 'admin emergency (off)');
  await shots(ap, 'admin-off');

  // As loaded, the 2020 agreement date lies in the past: the server says what to fix.
  await ap.getByRole('button', { name: '启用应急模式' }).click();
  await ap.getByRole('dialog', { name: '确认启用应急模式' }).getByRole('button', { name: '确认启用' }).click();
  await ap.getByRole('alert').filter({ hasText: '延长截止日 2020-03-31 不晚于开始日期' }).waitFor();

  await ap.getByRole('button', { name: '修订措施' }).click();
  const editor = ap.getByRole('form', { name: '修订应急预案' });
  await editor.waitFor();
  await editor
    .getByRole('group', { name: '暂缓办理：5项业务延期办理' })
    .getByRole('checkbox', { name: /办理医疗保险死亡账户注销业务/ })
    .check();
  await editor
    .getByRole('group', { name: '先自动通过、事后审核：简化透析审核方式' })
    .getByRole('checkbox', { name: /异地安置备案业务/ })
    .check();
  await editor.getByLabel('定点医药机构协议有效期延长至').fill(until);
  // Saving without the note is refused with the field named, nothing lost.
  await editor.getByRole('button', { name: '保存为第 2 版' }).click();
  await editor.getByRole('alert').getByText('请写明修订说明。').waitFor();
  assert.equal(await editor.getByLabel('定点医药机构协议有效期延长至').inputValue(), until);
  await editor.getByLabel('修订说明').fill('指定暂缓办理和先自动通过的事项；协议延至三个月后');
  await expectAccessible(ap, 'admin emergency editor');
  await shots(ap, 'admin-editor');
  await editor.getByRole('button', { name: '保存为第 2 版' }).click();
  await ap.getByRole('status').filter({ hasText: '已保存为第 2 版' }).waitFor();

  await ap.getByLabel('说明').fill('疫情防控');
  await ap.getByRole('button', { name: '启用应急模式' }).click();
  const confirm = ap.getByRole('dialog', { name: '确认启用应急模式' });
  await confirm.getByText(/本机构网站每一页显示公告/).waitFor();
  await confirm.getByRole('button', { name: '确认启用' }).click();
  await ap.getByRole('status').filter({ hasText: '已启用应急模式' }).waitFor();
  assert.match(await ap.getByRole('status').filter({ hasText: '已启用应急模式' }).innerText(), /已自动延长 1 项有效期/);
  await ap.getByTestId('emergency-status').getByText('生效中').waitFor();
  const ext = ap.getByRole('region', { name: '已延长的有效期' });
  await ext.getByRole('cell', { name: /大连市西岗区测试医院/ }).waitFor();
  assert.match(await ext.innerText(), new RegExp(until));
  await banner(ap).waitFor(); // staff pages of the agency show it too
  await expectAccessible(ap, 'admin emergency (on)');
  await shots(ap, 'admin-on');

  // ---- The public site: the banner on every page.
  for (const path of ['/a/dalian', '/a/dalian/items/DL-02', '/a/dalian/offices', '/search?q=备案&agency=dalian']) {
    await pub.goto(path);
    await banner(pub).getByText('疫情防控期间“不见面”经办').waitFor();
  }
  await pub.goto('/a/dalian');
  await banner(pub).waitFor();
  await expectAccessible(pub, 'agency page with the banner');
  await shots(pub, 'banner');
  await pub.goto('/a/daye');
  await pub.getByRole('heading', { level: 1 }).first().waitFor();
  assert.equal(await banner(pub).count(), 0, 'other agencies unaffected');

  // Channels promoted on the guide, with the regime's wording.
  await pub.goto('/a/dalian/items/DL-01');
  await pub
    .getByTestId('channels-emergency')
    .getByText(/本业务可通过线上、传真或邮寄办理/)
    .waitFor();
  const first = pub.locator('ul.channels > li').first();
  assert.match((await first.getAttribute('class')) ?? '', /promoted/);
  assert.match(await first.innerText(), /应急期间推荐/);
  await pub
    .getByTestId('item-emergency')
    .getByText(/疫情期间本业务先自动通过/)
    .waitFor();
  await expectAccessible(pub, 'item guide in emergency');
  await shots(pub, 'item');

  // The long-prescription rule and the measures on the rules page; appointment-only halls.
  await pub.goto('/a/dalian/rules');
  const rx = pub.getByTestId('long-prescription');
  await rx.waitFor();
  assert.match(await rx.innerText(), /一次性开具最长三个月的诊疗处方/);
  assert.match(await pub.getByTestId('rules-emergency').innerText(), /疫情解除后3个月内及时补办补缴/);
  await expectAccessible(pub, 'rules with emergency measures');
  await shots(pub, 'rules');
  await pub.goto('/a/dalian/offices');
  await pub
    .getByTestId('offices-emergency')
    .getByText(/13 个办事地点仅接待预约办理，须至少提前 1 个工作日预约/)
    .waitFor();
  assert.ok((await pub.getByText('应急期间仅限预约').count()) >= 13);
  await shots(pub, 'offices');

  // ---- The citizen: the deferred item refuses, the auto-pass item completes at once.
  const cctx = await newContext(browser, s, PHONE);
  const cp = await cctx.newPage();
  await citizenLogin(cp, citizen.mobile, citizen.password);
  await cp.goto('/a/dalian/items/DL-13');
  await cp
    .getByTestId('item-deferred')
    .getByText(/疫情防控期间本业务延期办理/)
    .waitFor();
  assert.equal(await cp.getByRole('link', { name: '在线申请' }).count(), 0);
  await cp.goto('/apply/dalian/DL-13');
  const refused = cp.getByRole('alert').filter({ hasText: '疫情防控期间本业务延期办理' });
  await refused.waitFor();
  assert.match(await refused.innerText(), /至少提前1个工作日通过预约电话成功预约/);
  await expectAccessible(cp, 'deferred application refused');
  await shots(cp, 'deferred');

  await cp.goto('/a/dalian/items/DL-01');
  await cp.getByRole('link', { name: '在线申请' }).click();
  await cp.getByRole('heading', { level: 1, name: '在线申请：异地安置备案业务' }).waitFor();
  await cp
    .getByRole('group', { name: /由谁办理/ })
    .getByLabel(/参保人员本人/)
    .check();
  await cp
    .getByRole('group', { name: /参保人员是否为学生/ })
    .getByLabel('否', { exact: true })
    .check();
  await cp.getByLabel('上传文件：本人异地居住证、异地户口或异地房产证图片').setInputFiles(file('居住证.png', PNG_BYTES, 'image/png'));
  await cp.getByRole('status').filter({ hasText: '已上传：居住证.png' }).waitFor();
  await cp.getByLabel('上传文件：联系电话').setInputFiles(file('联系电话.png', PNG_BYTES, 'image/png'));
  await cp.getByRole('status').filter({ hasText: '已上传：联系电话.png' }).waitFor();
  await cp.getByRole('button', { name: '提交申请' }).click();
  await cp.waitForURL(/\/me\/cases\/\d+$/);
  const caseId = Number(/(\d+)$/.exec(cp.url())![1]);
  await cp.getByText('办结-准予').first().waitFor();
  const text = await mainText(cp);
  assert.match(text, /应急期间自动受理/);
  assert.match(text, /应急期间自动通过，办结（准予），待事后审核/);
  assert.match(text, /异地就医备案已生效/, 'the registry effect of completion');
  await expectAccessible(cp, 'auto-passed case');
  await shots(cp, 'autopass-case');

  // ---- The reviewer's post-audit queue: the case is there; confirm it.
  const rctx = await newContext(browser, s, DESKTOP);
  const rp = await rctx.newPage();
  await staffLogin(rp, s, reviewer);
  await rp.getByRole('link', { name: '事后审核' }).click();
  await rp.getByRole('heading', { level: 1, name: '事后审核' }).waitFor();
  const row = rp.getByRole('row').filter({ hasText: '赵德明' });
  await row.getByRole('cell', { name: '简化透析审核方式' }).waitFor();
  const caseNo = (await row.getByRole('link').innerText()).trim();
  assert.match(caseNo, /^DL-/);
  await expectAccessible(rp, 'post-audit queue');
  await shots(rp, 'post-audit');
  await row.getByRole('button', { name: /^确认无误/ }).click();
  await rp.getByRole('dialog', { name: '确认无误' }).getByRole('button', { name: '确认无误' }).click();
  await rp
    .getByRole('status')
    .filter({ hasText: `${caseNo}：已确认无误` })
    .waitFor();
  await rp.getByRole('button', { name: /^已确认/ }).click();
  await rp.getByRole('row').filter({ hasText: caseNo }).getByText('已确认').waitFor();
  await shots(rp, 'post-audit-confirmed');

  // ---- Switch off: every effect stops; the extended agreement stays.
  await ap.reload();
  await ap.getByRole('button', { name: '关闭应急模式' }).click();
  const offDlg = ap.getByRole('dialog', { name: '关闭应急模式' });
  await offDlg.getByText('已自动延长的有效期保持不变').waitFor();
  await offDlg.getByLabel('关闭原因').fill('疫情解除');
  await expectAccessible(ap, 'switch-off dialog');
  await offDlg.getByRole('button', { name: '确定' }).click();
  await ap.getByRole('status').filter({ hasText: '已关闭应急模式' }).waitFor();
  await ap.getByTestId('emergency-status').getByText('未启用').waitFor();
  assert.equal(await banner(ap).count(), 0);
  await ext.getByRole('cell', { name: /大连市西岗区测试医院/ }).waitFor();
  const hosp = await s.dbh.db.selectFrom('institutions').select('agreement_to').where('code', '=', 'H21020300001').executeTakeFirstOrThrow();
  assert.equal(hosp.agreement_to, until, 'the extension stays as recorded');
  await shots(ap, 'admin-after-off');

  await cp.goto('/a/dalian');
  await cp.getByRole('heading', { level: 1 }).first().waitFor();
  assert.equal(await banner(cp).count(), 0, 'the banner is gone');
  await cp.goto('/a/dalian/items/DL-13');
  await cp.getByRole('link', { name: '在线申请' }).waitFor();
  assert.equal(await cp.getByTestId('item-deferred').count(), 0);
  await cp.goto('/apply/dalian/DL-13');
  await cp.getByRole('heading', { level: 1, name: /在线申请：办理医疗保险死亡账户注销业务/ }).waitFor();
  await cp.goto('/a/dalian/items/DL-01');
  await cp.getByRole('heading', { level: 1, name: '异地安置备案业务' }).waitFor();
  assert.equal(await cp.getByTestId('channels-emergency').count(), 0);
  assert.equal(await cp.getByText('应急期间推荐').count(), 0);
  assert.equal(await cp.getByTestId('item-emergency').count(), 0);
  await cp.goto('/a/dalian/rules');
  await cp.getByRole('heading', { level: 1 }).first().waitFor();
  assert.equal(await cp.getByTestId('long-prescription').count(), 0);
  await cp.goto('/a/dalian/offices');
  await cp.getByRole('heading', { level: 1 }).first().waitFor();
  assert.equal(await cp.getByText('应急期间仅限预约').count(), 0);
  await shots(cp, 'after-off');
  assert.ok(caseId > 0);
});
