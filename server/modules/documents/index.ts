/** The public door of documents: sealed notice PDFs and their verification codes. Other modules import only this file. */
export { type DocumentKind, type NoticeData, PROVISIONAL_NOTE, renderNotice } from './notice-pdf.ts';
export { newVerifyCode, normaliseVerifyCode } from './verify-code.ts';
export { documentRoutes } from './routes.ts';
