import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.ts';
import { backupDirs } from './backup.ts';
import { roleOfUrl } from './roles.ts';

test('roleOfUrl: the user a connection string names, decoded; none when it names none', () => {
  assert.equal(roleOfUrl('postgres://yb_app:s%40cret@db:5432/yibao'), 'yb_app');
  assert.equal(roleOfUrl('postgres://app%2Dx@db/yibao'), 'app-x');
  assert.equal(roleOfUrl('postgres://db/yibao'), undefined);
});

test('MIGRATION_DATABASE_URL needs DATABASE_URL (the app role) beside it', () => {
  assert.throws(() => loadConfig({ MIGRATION_DATABASE_URL: 'postgres://owner@db/yibao' }), /MIGRATION_DATABASE_URL/);
  const c = loadConfig({ MIGRATION_DATABASE_URL: 'postgres://owner@db/yibao', DATABASE_URL: 'postgres://app@db/yibao' });
  assert.equal(c.MIGRATION_DATABASE_URL, 'postgres://owner@db/yibao');
});

test('BACKUP_EXTRA_DIRS: by default the key and checkpoint directories, once each; or the list given', () => {
  assert.deepEqual(loadConfig({}).backupExtraDirs, ['var/secrets', 'var/audit-checkpoints']);
  assert.deepEqual(loadConfig({ SECRETS_DIR: 'keys', AUDIT_KEY_FILE: 'audit/k.key', AUDIT_CHECKPOINT_DIR: 'cp' }).backupExtraDirs, [
    'keys',
    'audit',
    'cp',
  ]);
  assert.deepEqual(loadConfig({ BACKUP_EXTRA_DIRS: 'a, b ,' }).backupExtraDirs, ['a', 'b']);
});

test('backupDirs: FILES_DIR as files, each extra directory by its base name, clashes made unique', () => {
  assert.deepEqual(backupDirs('var/files', ['var/secrets', 'var/audit-checkpoints', 'other/secrets/']), [
    { name: 'files', path: 'var/files' },
    { name: 'secrets', path: 'var/secrets' },
    { name: 'audit-checkpoints', path: 'var/audit-checkpoints' },
    { name: 'secrets_', path: 'other/secrets/' },
  ]);
  assert.deepEqual(backupDirs('var/files', []), [{ name: 'files', path: 'var/files' }]);
});
