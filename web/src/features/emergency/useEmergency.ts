/** The agency's regime in force, for any page of its site; refetched when the agency or the regime changes. */
import { useEffect, useState } from 'react';
import { EMERGENCY_CHANGED, publicEmergency, type PublicEmergencyOut } from './api.ts';
import type { EmergencyMeasure } from '../../../../common/emergency.ts';

export function useEmergency(agency: string | null | undefined): PublicEmergencyOut | null {
  const [em, setEm] = useState<PublicEmergencyOut | null>(null);
  useEffect(() => {
    if (!agency) {
      setEm(null);
      return;
    }
    let live = true;
    const load = () =>
      publicEmergency(agency).then(
        (r) => live && setEm(r.active ? r : null),
        () => live && setEm(null),
      );
    void load();
    window.addEventListener(EMERGENCY_CHANGED, load);
    return () => {
      live = false;
      window.removeEventListener(EMERGENCY_CHANGED, load);
    };
  }, [agency]);
  return em && em.agency === agency ? em : null;
}

export type Measure = EmergencyMeasure;
export type MeasureOf<K extends Measure['kind']> = Extract<Measure, { kind: K }>;

export function measuresOf<K extends Measure['kind']>(em: PublicEmergencyOut | null, kind: K): MeasureOf<K>[] {
  return (em?.regime?.measures ?? []).filter((m): m is MeasureOf<K> => m.kind === kind);
}

/** The measures that name this item (in document order). */
export function measuresForItem(em: PublicEmergencyOut | null, itemCode: string): Measure[] {
  return (em?.regime?.measures ?? []).filter((m) => 'items' in m && m.items.includes(itemCode));
}
