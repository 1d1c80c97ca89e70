/**
 * The closed list of error codes the API answers with, their HTTP status and the Chinese
 * message shown to users. One code → one status (DESIGN.md convention 5).
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '提交的内容有误，请按提示修改后重试。' },
  BAD_JSON: { status: 400, zh: '请求内容不是有效的 JSON。' },
  BAD_CHARACTERS: { status: 400, zh: '输入含有无法识别的字符（如空字符），请删除后重试。' },
  BAD_MULTIPART: { status: 400, zh: '上传的内容不完整或格式有误，请重新上传。' },
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
  // Admin changes without a deploy (/api/admin/*).
  EFFECTIVE_DATE_PAST: { status: 400, zh: '生效日期不能早于今天。' },
  VERSION_NOT_NEWER: { status: 409, zh: '版本号须大于现有最高版本。' },
  RULE_TEXT_INVALID: { status: 400, zh: '规则内容不是有效的 YAML 或 JSON。' },
  RULE_NOT_FOUND: { status: 404, zh: '本机构没有这条规则。' },
  INSTITUTION_CODE_INVALID: { status: 400, zh: '定点医药机构编码不正确。' },
  INSTITUTION_EXISTS: { status: 409, zh: '该机构编码已经登记。' },
  INSTITUTION_NOT_FOUND: { status: 404, zh: '本机构没有登记这家定点医药机构。' },
  INSTITUTION_STAFF_NOT_FOUND: { status: 404, zh: '没有找到这条科室或医师备案。' },
  PERSON_NOT_IN_REGISTRY: { status: 422, zh: '参保登记系统中没有此人，请核对公民身份号码。' },
  LOCKOUT_OVERLAP: { status: 409, zh: '该参保人在这段时间内已有待遇封锁期。' },
  LOCKOUT_NOT_FOUND: { status: 404, zh: '没有找到这条待遇封锁期。' },
  LOCKOUT_NOT_LIFTABLE: { status: 409, zh: '该封锁期已解除或已到期，不能再解除。' },
  // 参保人档案: households and guardians (/api/staff/persons).
  PERSON_NOT_FOUND: { status: 404, zh: '没有找到此参保人，或此人不在本机构的经办范围内。' },
  PERSON_NAME_MISMATCH: { status: 422, zh: '姓名与登记系统中该公民身份号码的姓名不一致，请核对。' },
  PERSON_RECORD_DIFFERS: { status: 422, zh: '所填户籍或居住证与登记系统中的记录不同；变更请办理参保信息变更登记。' },
  HOUSEHOLD_NOT_FOUND: { status: 404, zh: '此人尚未登记家庭户。' },
  PERSON_IN_HOUSEHOLD: { status: 409, zh: '此人已在一个家庭户中，请先从原家庭户移出。' },
  HOUSEHOLD_MEMBER_NOT_FOUND: { status: 404, zh: '该家庭户中没有此人。' },
  GUARDIAN_SELF: { status: 422, zh: '监护人不能是被监护人本人。' },
  GUARDIAN_EXISTS: { status: 409, zh: '已登记过这一监护关系。' },
  GUARDIAN_NOT_ELIGIBLE: { status: 422, zh: '此人不能作为监护人。' },
  WARD_NOT_MINOR: { status: 422, zh: '被监护人已成年；成年人须认定为无民事行为能力并写明依据，才能登记监护人。' },
  PARENTS_LIMIT: { status: 409, zh: '已登记父母二人。' },
  GUARDIAN_NOT_FOUND: { status: 404, zh: '没有找到这一监护关系。' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大。' },
  // Roster files (增减员花名册): parsed as a stream in a worker, with caps (issue 17).
  ROSTER_TOO_MANY_ROWS: { status: 413, zh: '花名册行数超过上限，请分批上传。' },
  ROSTER_TOO_COMPLEX: { status: 422, zh: '花名册文件过于复杂（单元格或文字过多），无法读取；请只保留增减员所需的五列，或另存为 CSV 后分批上传。' },
  ROSTER_UNREADABLE: { status: 400, zh: '无法读取花名册文件，请另存为 .xlsx 或 CSV 后重试。' },
  ROSTER_BUSY: { status: 429, zh: '系统正忙，请稍后再上传' },
  AUTH_REQUIRED: { status: 401, zh: '请先登录。' },
  BAD_CREDENTIALS: { status: 401, zh: '账号或密码不正确；连续输错5次账号将锁定15分钟，请核对后再试。' },
  TOTP_REQUIRED: { status: 401, zh: '工作人员登录需要输入动态验证码（TOTP）。' },
  TOTP_INVALID: { status: 401, zh: '动态验证码不正确或已过期。' },
  CSRF_FAILED: { status: 403, zh: '页面已过期或请求来源不可信，请刷新页面后重试。' },
  FORBIDDEN: { status: 403, zh: '您没有权限进行此操作。' },
  SMS_CODE_INVALID: { status: 400, zh: '短信验证码不正确或已过期。' },
  SMS_TOO_FREQUENT: { status: 429, zh: '验证码发送过于频繁，请1分钟后再试。' },
  MOBILE_TAKEN: { status: 409, zh: '该手机号已注册，请直接登录。' },
  // A verified identity: the ID number is bound after a code to the registry's number or a window check.
  IDENTITY_UNVERIFIED: { status: 403, zh: '请先核验身份：我们会向您在医保部门登记的手机号码发送验证码；号码已变更的，请携带居民身份证到窗口核验。' },
  IDENTITY_ALREADY_VERIFIED: { status: 409, zh: '本账号的身份已经核验。' },
  APPLICANT_MISMATCH: { status: 422, zh: '申请人须是本账号的核验身份本人，或经被代办人确认的代办授权中的被代办人；公民身份号码不一致。' },
  ACCOUNT_NOT_FOUND: { status: 404, zh: '没有手机号与公民身份号码都相符的个人账号，请核对。' },
  ID_NO_INVALID: { status: 400, zh: '公民身份号码不正确，请核对（GB 11643）。' },
  USCC_INVALID: { status: 400, zh: '统一社会信用代码不正确，请核对（GB 32100）。' },
  // 单位经办人 approval (issue 16)
  UNIT_CLERK_NOT_APPROVED: { status: 403, zh: '您的单位经办人申请尚未通过审核，审核通过后才能办理本单位业务。' },
  UNIT_CLERK_REQUEST_NOT_FOUND: { status: 404, zh: '没有找到该单位经办人申请。' },
  UNIT_CLERK_REQUEST_DECIDED: { status: 409, zh: '该申请已处理过，请刷新后查看。' },
  UNIT_CLERK_LETTER_REQUIRED: { status: 422, zh: '请先上传加盖单位公章的授权委托书，经办机构审核后才能通过。' },
  UNIT_CLERK_SELF: { status: 409, zh: '不能撤销自己的经办人资格，请由本单位其他经办人或经办机构办理。' },
  UNIT_AGENCY_REQUIRED: { status: 400, zh: '请选择单位参保所在的经办机构，由该机构审核您的经办人申请。' },
  WEAK_PASSWORD: { status: 400, zh: '密码太容易被猜中：至少10个字符，不要用常见密码、手机号或有规律的组合。' },
  CURRENT_PASSWORD_WRONG: { status: 400, zh: '原密码不正确；连续输错5次账号将锁定15分钟。' },
  PASSWORD_CHANGE_LOCKED: { status: 429, zh: '密码输错次数过多，账号已暂时锁定，请15分钟后再试，或用短信验证码重置密码。' },
  CASE_NOT_FOUND: { status: 404, zh: '没有找到该办件。' },
  FILE_NOT_FOUND: { status: 404, zh: '没有找到该文件。' },
  DOCUMENT_NOT_FOUND: { status: 404, zh: '没有找到该文书，请核对验证码。' },
  TRANSITION_NOT_ALLOWED: { status: 409, zh: '办件当前状态下不能进行此操作。' },
  GUARD_FAILED: { status: 409, zh: '不满足办理条件。' },
  DUTIES_SEPARATED: { status: 403, zh: '本机构实行职责分离：受理本件的工作人员不能审核本件，复核须由第三人办理。' },
  STALE_CASE: { status: 409, zh: '办件已被他人更新，请刷新后重试。' },
  CASE_CLAIMED: { status: 409, zh: '该办件已由其他工作人员认领。' },
  OUT_OF_TURN_REASON_REQUIRED: { status: 422, zh: '不按先后顺序办理须填写理由。' },
  FORM_INVALID: { status: 422, zh: '申请表填写有误，请按提示修改。' },
  MATERIALS_MISSING: { status: 422, zh: '还有必需的材料没有上传。' },
  FILE_TYPE_NOT_ALLOWED: { status: 415, zh: '只能上传 PDF、JPG 或 PNG 文件（按文件内容识别）。' },
  FILE_TOO_LARGE: { status: 413, zh: '单个文件不能超过 10 MB。' },
  CASE_FILES_LIMIT: { status: 413, zh: '每个办件的材料合计不能超过 50 MB、30 个文件。' },
  QUOTA_EXCEEDED: { status: 429, zh: '今日上传的文件已达上限，请明天再上传。' },
  IDEMPOTENCY_CONFLICT: { status: 409, zh: '该提交编号已用于另一份申请。' },
  AUTHORISATION_INVALID: { status: 422, zh: '代办授权无效或已过期。' },
  AUTHORISATION_UNCONFIRMED: { status: 409, zh: '该代办授权尚未经被代办人确认：请输入发送到被代办人在医保部门登记的手机号码的验证码。' },
  AUTHORISATION_CONFIRMED: { status: 409, zh: '该代办授权已经确认。' },
  EMERGENCY_ITEM_DEFERRED: { status: 409, zh: '应急期间本事项暂缓办理。' },
  EMERGENCY_REGIME_NOT_FOUND: { status: 404, zh: '没有找到该应急预案。' },
  EMERGENCY_REGIME_INVALID: { status: 422, zh: '应急预案不符合格式要求，请按提示修改。' },
  EMERGENCY_REGIME_STALE: { status: 409, zh: '应急预案已被他人修订，请刷新后在最新版本上修改。' },
  EMERGENCY_ALREADY_ON: { status: 409, zh: '本机构已有生效中或已安排的应急状态，请先关闭。' },
  EMERGENCY_NOT_ON: { status: 409, zh: '本机构当前没有生效中或已安排的应急状态。' },
  POST_AUDIT_NOT_FOUND: { status: 404, zh: '没有找到该事后审核记录。' },
  POST_AUDIT_DECIDED: { status: 409, zh: '该办件的事后审核已完成。' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试。' },
  // 好差评与投诉 (issue 5)
  RATING_NOT_ALLOWED: { status: 409, zh: '办件办结后才能评价。' },
  ALREADY_RATED: { status: 409, zh: '您已评价过，每次服务只能评价一次。' },
  FEEDBACK_NOT_FOUND: { status: 404, zh: '没有找到该评价、整改或投诉记录。' },
  FEEDBACK_STATE_INVALID: { status: 409, zh: '当前状态下不能进行此操作，请刷新后重试。' },
  APPEAL_EXISTS: { status: 409, zh: '该评价已提出过申诉。' },
  APPEAL_SELF_DECISION: { status: 403, zh: '被评价的经办人不能裁决针对本人评价的申诉，请由其他监督人员裁决。' },
  // Hall appointments (预约)
  APPT_NOT_FOUND: { status: 404, zh: '没有找到该预约。' },
  APPT_SERVICE_UNAVAILABLE: { status: 422, zh: '该大厅暂不提供此项业务的预约。' },
  APPT_DAY_CLOSED: { status: 422, zh: '该日大厅不办公或暂停预约，请选择其他日期。' },
  APPT_TOO_SOON: { status: 422, zh: '须至少提前1个工作日预约。' },
  APPT_TOO_FAR: { status: 422, zh: '超出可预约的日期范围。' },
  APPT_SLOT_NOT_FOUND: { status: 422, zh: '没有这个预约时段，请重新选择。' },
  APPT_SLOT_FULL: { status: 409, zh: '该时段已约满，请选择其他时段。' },
  APPT_DUPLICATE: { status: 409, zh: '您已预约同一天、同一大厅的同一项业务。' },
  APPT_LIMIT_REACHED: { status: 422, zh: '您未办理的预约已达上限，请先办理或取消已有预约。' },
  APPT_BANNED: { status: 422, zh: '您多次预约后未按时到场，暂停新的预约。' },
  APPT_NOT_CHANGEABLE: { status: 409, zh: '该预约当前状态下不能取消或改约。' },
  APPT_CODE_INVALID: { status: 400, zh: '预约码不正确，请核对后重新输入或扫描。' },
  APPT_NOT_TODAY: { status: 409, zh: '该预约不是今天的，不能签到。' },
  APPT_WRONG_OFFICE: { status: 409, zh: '该预约不在本大厅办理。' },
  APPT_BAD_STATUS: { status: 409, zh: '该预约当前状态下不能进行此操作。' },
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

/**
 * A value a pure rule cannot work with (a negative count, a time that is not HH:MM, a rating
 * level outside 1–5). The server maps it to 400 VALIDATION_FAILED (server/errors.ts); a RangeError
 * of the platform's own (a real bug) still reaches the 500 mapper.
 */
export class InvalidValue extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidValue';
  }
}
