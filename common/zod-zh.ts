/**
 * zod's default messages in plain Chinese, for the problems a person filling a form can cause
 * (empty, too long, a number out of range, a wrong format). zod's own zh-CN locale names types and
 * operators ("数值过小：期望 string >=1 字符"), which a citizen or clerk should not have to read; the
 * rarer issues keep its wording. A schema's own message always wins over these. The UI puts the
 * field's label in front ("依据：请填写此项。").
 */
import { z } from 'zod';

const zhCN = z.locales.zhCN().localeError;

const TYPES: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '是或否',
  array: '列表',
  tuple: '列表',
  set: '列表',
  object: '一组字段',
  record: '一组字段',
  map: '一组字段',
  date: '日期',
};

export const plainZh: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return '请填写此项。';
      return TYPES[issue.expected] ? `应填写${TYPES[issue.expected]}。` : '填写的内容类型不对。';
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? '请填写此项。' : `至少 ${min} 个字。`;
      if (issue.origin === 'array' || issue.origin === 'set') return `至少要有 ${min} 项。`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive ? `不能小于 ${min}。` : `应大于 ${min}。`;
      return zhCN(issue);
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `不能超过 ${max} 个字。`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${max} 项。`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive ? `不能大于 ${max}。` : `应小于 ${max}。`;
      return zhCN(issue);
    }
    case 'invalid_format':
      return issue.format === 'regex' ? '格式不正确。' : zhCN(issue);
    case 'invalid_value':
      return '不是可选的值。';
    case 'unrecognized_keys':
      return `不认识的字段：${issue.keys.join('、')}。`;
    default:
      return zhCN(issue);
  }
};
