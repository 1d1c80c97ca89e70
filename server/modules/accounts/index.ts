/** The public door of accounts: users, sessions, passwords and TOTP, staff accounts, and the session cookie on every request. Other modules import only this file. */
export { registerAuth } from './http.ts';
export { hashPassword } from './password.ts';
export { accountRoutes } from './routes.ts';
export { unitClerkRoutes } from './unit-clerk-routes.ts';
export { createStaff } from './service.ts';
export { base32Encode, newTotpSecret, otpauthUri, totp } from './totp.ts';
