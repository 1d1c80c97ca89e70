/** Telling a booking's holder about a change made to it: SMS to the mobile on the booking (when any) and in-app. */
import { queueMessage } from '../../platform/outbox.ts';
import type { ApptRow } from './repository.ts';
import type { Db } from '../../db/index.ts';

export async function tellHolder(
  db: Db,
  a: Pick<ApptRow, 'id' | 'mobile' | 'agency_code' | 'user_id'>,
  subject: string,
  body: string,
): Promise<void> {
  if (a.mobile)
    await queueMessage(db, {
      channel: 'sms',
      recipient: a.mobile,
      body: `【医保预约】${body}`,
      agencyCode: a.agency_code,
      userId: Number(a.user_id),
    });
  await queueMessage(db, {
    channel: 'inapp',
    recipient: String(a.user_id),
    userId: Number(a.user_id),
    agencyCode: a.agency_code,
    subject,
    body,
    meta: { appointmentId: Number(a.id) },
  });
}
