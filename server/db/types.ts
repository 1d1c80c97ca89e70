/** Table types for Kysely. Keep in step with migrations/. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface RegionsTable {
  code: string;
  name: string;
  parent_code: string | null;
  province: string;
}
export interface AgenciesTable {
  code: string;
  name: string;
  short_name: string;
  region_code: string;
  created_at: Generated<Date>;
}
export interface CatalogVersionsTable {
  id: Generated<number>;
  agency_code: string;
  version: number;
  status: 'draft' | 'published' | 'withdrawn';
  effective_from: string | null;
  source_hash: string;
  source_name: string;
  note: string | null;
  doc: Json;
  created_at: Generated<Date>;
  published_at: Timestamp | null;
}
export interface DepartmentsTable {
  agency_code: string;
  code: string;
  seq: number;
  name: string;
  doc: Json;
  active: Generated<boolean>;
}
export interface OfficesTable {
  id: Generated<number>;
  agency_code: string;
  code: string;
  seq: number;
  name: string;
  kind: string;
  doc: Json;
  active: Generated<boolean>;
}
export interface ItemsTable {
  id: Generated<number>;
  agency_code: string;
  code: string;
}
export interface ItemVersionsTable {
  id: Generated<number>;
  item_id: number;
  catalog_version_id: number;
  agency_code: string;
  seq: number;
  code: string;
  name: string;
  category_code: string;
  national: number | null;
  time_limit_kind: string;
  time_limit_value: number | null;
  time_limit_unit: string | null;
  time_limit_text: string;
  search_text: string;
  doc: Json;
}

export interface DB {
  regions: RegionsTable;
  agencies: AgenciesTable;
  catalog_versions: CatalogVersionsTable;
  departments: DepartmentsTable;
  offices: OfficesTable;
  items: ItemsTable;
  item_versions: ItemVersionsTable;
}
