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
  CALENDAR_NOT_COVERED: { status: 422, zh: '该年度的工作日历尚未录入，请联系管理员补录。' },
  BENEFIT_PARAMS_MISSING: { status: 422, zh: '该经办机构尚未录入此项待遇的计算参数（种子未载明），暂不能计算。' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大。' },
  AUTH_REQUIRED: { status: 401, zh: '请先登录。' },
  BAD_CREDENTIALS: { status: 401, zh: '账号或密码不正确。' },
  TOTP_REQUIRED: { status: 401, zh: '工作人员登录需要输入动态验证码（TOTP）。' },
  TOTP_INVALID: { status: 401, zh: '动态验证码不正确或已过期。' },
  ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，账号已临时锁定，请15分钟后再试。' },
  CSRF_FAILED: { status: 403, zh: '页面已过期或请求来源不可信，请刷新页面后重试。' },
  FORBIDDEN: { status: 403, zh: '您没有权限进行此操作。' },
  SMS_CODE_INVALID: { status: 400, zh: '短信验证码不正确或已过期。' },
  SMS_TOO_FREQUENT: { status: 429, zh: '验证码发送过于频繁，请1分钟后再试。' },
  MOBILE_TAKEN: { status: 409, zh: '该手机号已注册，请直接登录。' },
  ID_NO_TAKEN: { status: 409, zh: '该公民身份号码已绑定其他账号。' },
  ID_NO_INVALID: { status: 400, zh: '公民身份号码不正确，请核对（GB 11643）。' },
  USCC_INVALID: { status: 400, zh: '统一社会信用代码不正确，请核对（GB 32100）。' },
  WEAK_PASSWORD: { status: 400, zh: '密码至少8位，且须同时包含字母和数字。' },
  CASE_NOT_FOUND: { status: 404, zh: '没有找到该办件。' },
  FILE_NOT_FOUND: { status: 404, zh: '没有找到该文件。' },
  DOCUMENT_NOT_FOUND: { status: 404, zh: '没有找到该文书，请核对验证码。' },
  TRANSITION_NOT_ALLOWED: { status: 409, zh: '办件当前状态下不能进行此操作。' },
  GUARD_FAILED: { status: 409, zh: '不满足办理条件。' },
  STALE_CASE: { status: 409, zh: '办件已被他人更新，请刷新后重试。' },
  CASE_CLAIMED: { status: 409, zh: '该办件已由其他工作人员认领。' },
  OUT_OF_TURN_REASON_REQUIRED: { status: 422, zh: '不按先后顺序办理须填写理由。' },
  FORM_INVALID: { status: 422, zh: '申请表填写有误，请按提示修改。' },
  MATERIALS_MISSING: { status: 422, zh: '还有必需的材料没有上传。' },
  FILE_TYPE_NOT_ALLOWED: { status: 415, zh: '只能上传 PDF、JPG 或 PNG 文件（按文件内容识别）。' },
  FILE_TOO_LARGE: { status: 413, zh: '单个文件不能超过 10 MB。' },
  CASE_FILES_LIMIT: { status: 413, zh: '每个办件的材料合计不能超过 50 MB、30 个文件。' },
  IDEMPOTENCY_CONFLICT: { status: 409, zh: '该提交编号已用于另一份申请。' },
  AUTHORISATION_INVALID: { status: 422, zh: '代办授权无效或已过期。' },
  EMERGENCY_ITEM_DEFERRED: { status: 409, zh: '应急期间本事项暂缓办理。' },
  EMERGENCY_REGIME_NOT_FOUND: { status: 404, zh: '没有找到该应急预案。' },
  EMERGENCY_REGIME_INVALID: { status: 422, zh: '应急预案不符合格式要求，请按提示修改。' },
  EMERGENCY_REGIME_STALE: { status: 409, zh: '应急预案已被他人修订，请刷新后在最新版本上修改。' },
  EMERGENCY_ALREADY_ON: { status: 409, zh: '本机构已有生效中或已安排的应急状态，请先关闭。' },
  EMERGENCY_NOT_ON: { status: 409, zh: '本机构当前没有生效中或已安排的应急状态。' },
  POST_AUDIT_NOT_FOUND: { status: 404, zh: '没有找到该事后审核记录。' },
  POST_AUDIT_DECIDED: { status: 409, zh: '该办件的事后审核已完成。' },
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
