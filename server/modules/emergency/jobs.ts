/** Emergency-mode jobs: a period switched on for a later day applies its validity extensions on that day. */
import type { JobRunner } from '../../platform/jobs.ts';
import { chinaDate } from '../../platform/clock.ts';
import { handlePeriodStart } from './service.ts';

export function registerEmergencyJobs(runner: JobRunner): void {
  runner.register('emergency.start', async (p: { periodId: number }, { trx, now }) =>
    handlePeriodStart({ db: trx, now, today: chinaDate(now), actor: { kind: 'system', label: '应急状态启动' } }, p.periodId),
  );
}
