/**
 * A date the server computed. When it rests on a calendar year whose State Council holiday notice
 * is not yet published, the server says `provisional` and the date is drawn as 预计, with why for
 * screen readers (the note under a deadline says it for everyone).
 */
export const PROVISIONAL_HINT = '以国务院公布的放假安排为准';

export function DueDate({ date, provisional }: { date: string | null | undefined; provisional?: boolean }) {
  if (!date) return <>—</>;
  if (!provisional) return <>{date}</>;
  return (
    <span className="due-provisional">
      {date}
      <span className="tag provisional" title={PROVISIONAL_HINT}>
        预计
      </span>
      <span className="sr-only">（{PROVISIONAL_HINT}）</span>
    </span>
  );
}

/** The sentence under a provisional deadline. */
export function ProvisionalNote({ what = '日期' }: { what?: string }) {
  return (
    <p className="muted provisional-note">
      {what}为“预计”：放假安排尚未公布，按法定节假日推算，{PROVISIONAL_HINT}；如有变化，我们会通知您。
    </p>
  );
}
