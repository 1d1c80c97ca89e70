/**
 * The dashboard's panels, in page order. One query module per panel: a new panel is a module
 * exporting a PanelDef, listed here; its tables then appear on the page and export like the others.
 */
import type { PanelDef } from '../scope.ts';
import { appointmentsPanel } from './appointments.ts';
import { backlogPanel } from './backlog.ts';
import { complaintsPanel } from './complaints.ts';
import { overduePanel } from './overdue.ts';
import { satisfactionPanel } from './satisfaction.ts';
import { timelinessPanel } from './timeliness.ts';
import { volumePanel } from './volume.ts';

export const PANELS: readonly PanelDef[] = [
  volumePanel,
  timelinessPanel,
  backlogPanel,
  overduePanel,
  satisfactionPanel,
  complaintsPanel,
  appointmentsPanel,
];

/** The panel that holds a table, by the table's key. */
export function panelOfTable(table: string): PanelDef | undefined {
  return PANELS.find((p) => p.tables.includes(table));
}
