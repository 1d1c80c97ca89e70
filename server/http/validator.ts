/** Route-level validator: zod with Chinese messages. */
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { parseZh } from '../../common/api-admin.ts';
import { AppError } from '../../common/errors.ts';

/** Route-level validator: zod with Chinese messages; problems go out as VALIDATION_FAILED details { path, message }. */
export const zhValidator: FastifySchemaCompiler<any> =
  ({ schema }) =>
  (data) => {
    const r = parseZh(schema as z.ZodType, data);
    if (r.ok) return { value: r.data };
    return { error: new AppError('VALIDATION_FAILED', `${r.problems.map((p) => p.message).join('；')}`, r.problems) };
  };
