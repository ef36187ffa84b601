// Makes the legacy fixtures with an implementation independent of Kanbu Backup's Java code:
// Node's crypto module used the way the original Kanbu (TypeScript) used it in
// S/crypto/index.ts: a 16-byte random IV, aes-256-gcm, the 16-byte tag appended, and the key
// either the 64-hex secret itself or pbkdf2Sync(secret, 'kanbu-backup-encryption-salt-v1',
// 100000, 32, 'sha256').
//
// Run from this directory: node make-legacy-fixtures.mjs
// Writes legacy-payload.sql.gz, legacy-hexkey.sql.gz.enc, legacy-passphrase.sql.gz.enc.
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export const HEX_KEY = '8f1c2b7e4d6a9f03c5e7b1d2a4f6c8e0112233445566778899aabbccddeeff00';
export const PASSPHRASE = 'correct horse: battery staple — kanbu legacy ✓';

function deriveKey(secret) {
  if (/^[0-9a-fA-F]{64}$/.test(secret)) {
    return Buffer.from(secret, 'hex');
  }
  return pbkdf2Sync(secret, 'kanbu-backup-encryption-salt-v1', 100000, 32, 'sha256');
}

function encrypt(plain, secret) {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

// A small pg_dump-like SQL script; gzip makes it the .sql.gz the original encrypted.
const lines = ['-- PostgreSQL database dump (kanbu legacy fixture)', 'BEGIN;',
  'CREATE TABLE fixture_item (id integer PRIMARY KEY, label text NOT NULL);'];
for (let i = 1; i <= 3000; i++) {
  lines.push(`INSERT INTO fixture_item VALUES (${i}, 'item ${i} ${(i * 7919) % 10007}');`);
}
lines.push('COMMIT;', '');
const payload = gzipSync(Buffer.from(lines.join('\n'), 'utf8'));

writeFileSync('legacy-payload.sql.gz', payload);
writeFileSync('legacy-hexkey.sql.gz.enc', encrypt(payload, HEX_KEY));
writeFileSync('legacy-passphrase.sql.gz.enc', encrypt(payload, PASSPHRASE));
console.log(`payload ${payload.length} bytes; encrypted files ${payload.length + 32} bytes each`);
