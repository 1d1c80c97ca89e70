/**
 * TOTP codes for tests. A code is single-use (the server keeps each account's last accepted step in
 * users.totp_last_step), and tests run on an injected clock, so logging the same staff in twice "at
 * the same time" would replay a code. `staffTotp` answers the code of the next unused step within
 * the server's window: this step, else the next one (never the previous one, which a step boundary
 * crossed in flight would refuse). When both are used it moves the test clock on by 30 s, as a
 * real user would wait for the next code. A test that moves its clock back (to replay another day)
 * finds a later step stored than real time could give; as time never runs back for real, the
 * stored step is cleared then (a test-only reach-in).
 */
import { totp } from '../server/modules/accounts/totp.ts';
import type { TestServer } from './support.ts';

const STEP_MS = 30_000;

export async function staffTotp(server: Pick<TestServer, 'dbh' | 'clock'>, secret: string): Promise<string> {
  const db = server.dbh.db;
  const row = await db.selectFrom('users').select('totp_last_step').where('totp_secret', '=', secret).executeTakeFirst();
  let last = row?.totp_last_step == null ? null : Number(row.totp_last_step);
  let current = Math.floor(server.clock.now().getTime() / STEP_MS);
  if (last !== null && last > current + 1) {
    await db.updateTable('users').set({ totp_last_step: null }).where('totp_secret', '=', secret).execute();
    last = null;
  }
  if (last === current + 1) {
    const clock = server.clock as { advance?(ms: number): void };
    if (!clock.advance) throw new Error('staffTotp: both codes of this step are used and the clock cannot move on');
    clock.advance(STEP_MS);
    current = Math.floor(server.clock.now().getTime() / STEP_MS);
  }
  const step = last === null ? current : Math.max(last + 1, current);
  return totp(secret, new Date(step * STEP_MS));
}
