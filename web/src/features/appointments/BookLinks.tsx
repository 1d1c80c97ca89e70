/** "预约到大厅办理" links for the item and office pages: shown only where the agency takes bookings for it. */
import { useEffect, useState } from 'react';
import { Link } from '../../lib/router.tsx';
import { apptApi, type ApptOptionsOut } from './api.ts';

const cache = new Map<string, Promise<ApptOptionsOut | null>>();
function useOptions(agency: string): ApptOptionsOut | null {
  const [o, setO] = useState<ApptOptionsOut | null>(null);
  useEffect(() => {
    let p = cache.get(agency);
    if (!p) {
      p = apptApi.options(agency).catch(() => null);
      cache.set(agency, p);
    }
    let live = true;
    void p.then((x) => live && setO(x));
    return () => {
      live = false;
    };
  }, [agency]);
  return o;
}

/** On an item page: book a hall visit for this item (its business type preselected). */
export function ItemBookLink({ agency, item }: { agency: string; item: string }) {
  const o = useOptions(agency);
  const type = o?.businessTypes.find((t) => t.items.includes(item) && o.offices.some((of) => of.services.some((s) => s.business === t.code)));
  if (!type) return null;
  return (
    <Link className="btn secondary big" href={`/a/${agency}/appointments?item=${encodeURIComponent(item)}`}>
      预约到大厅办理
    </Link>
  );
}

/** On the offices page: book at this office. */
export function OfficeBookLink({ agency, officeCode }: { agency: string; officeCode: string }) {
  const o = useOptions(agency);
  const office = o?.offices.find((x) => x.code === officeCode);
  if (!office) return null;
  return (
    <p>
      <Link
        className="btn small secondary"
        href={`/a/${agency}/appointments?office=${office.id}${office.services.length === 1 ? `&business=${office.services[0]!.business}` : ''}`}
      >
        预约到此大厅
      </Link>
    </p>
  );
}

/** One agency's booking link, shown only when it takes bookings. */
export function AgencyBookLink({ agency, name }: { agency: string; name: string }) {
  const o = useOptions(agency);
  if (!o || !o.offices.length) return null;
  return (
    <li>
      <Link className="btn small secondary" href={`/a/${agency}/appointments`}>
        {name}
      </Link>
    </li>
  );
}
