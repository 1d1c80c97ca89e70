/** The person record page's labels, money format and the removal being confirmed. */
import type { GuardianLink, RelatedPerson } from './personsApi.ts';

export const SEX = { M: '男', F: '女' } as const;
export const EMPLOYMENT = { employed: '在职', flexible: '灵活就业', retired: '退休' } as const;
export const yuan = (n: number) => `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export type Removing = { kind: 'member'; person: RelatedPerson } | { kind: 'guardian'; person: GuardianLink } | null;
