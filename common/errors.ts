/**
 * The closed list of error codes the API answers with, their HTTP status and the Chinese
 * message shown to users. One code → one status (DESIGN.md convention 5).
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '提交的内容有误，请按提示修改后重试。' },
  BAD_JSON: { status: 400, zh: '请求内容不是有效的 JSON。' },
  QUERY_TOO_SHORT: { status: 400, zh: '请输入至少1个字的搜索词。' },
  QUERY_TOO_LONG: { status: 400, zh: '搜索词过长，请缩短后重试。' },
  NOT_FOUND: { status: 404, zh: '没有找到您要的内容。' },
  AGENCY_NOT_FOUND: { status: 404, zh: '没有这个经办机构。' },
  ITEM_NOT_FOUND: { status: 404, zh: '该机构没有这个服务事项。' },
  VERSION_NOT_FOUND: { status: 404, zh: '没有这个事项清单版本。' },
  NO_PUBLISHED_VERSION: { status: 404, zh: '该机构尚未发布事项清单。' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方式。' },
  VERSION_NOT_DRAFT: { status: 409, zh: '只有草稿版本可以发布。' },
  CATALOG_INVALID: { status: 422, zh: '事项清单数据不符合格式要求。' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大。' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试。' },
  FONT_UNAVAILABLE: { status: 503, zh: '服务器缺少中文字体，暂时无法生成 PDF，请联系管理员安装 fonts-noto-cjk。' },
  DB_UNAVAILABLE: { status: 503, zh: '数据库暂时不可用，请稍后再试。' },
  INTERNAL: { status: 500, zh: '系统内部错误，我们已记录，请稍后再试。' },
} as const satisfies Record<string, { status: number; zh: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].zh);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}
