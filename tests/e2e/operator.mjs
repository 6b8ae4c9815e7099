// What an operator does from the command line, and a person signing in through the studio.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { BASE_URL } from './browser.mjs';

export const PASSWORD = 'correct horse battery';

/** Runs `kino admin ...` on the e2e server's data. */
export function kinoAdmin(...args) {
  const bin = process.env.KINO_BIN;
  const data = process.env.KINO_DATA;
  assert.ok(bin && data, 'xtask sets KINO_BIN and KINO_DATA');
  return execFileSync(bin, ['admin', '--data', data, ...args], { encoding: 'utf8' }).trim();
}

/** A handle no earlier test used. */
export function uniqueHandle(prefix) {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** An account made by the operator; returns its handle and e-mail. */
export function operatorAccount(prefix) {
  const handle = uniqueHandle(prefix);
  const email = `${handle}@example.org`;
  kinoAdmin('create-user', '--email', email, '--password', PASSWORD, '--handle', handle, '--region', 'DE');
  return { handle, email };
}

/** Signs in through the studio's form, as a person would. */
export async function signIn(page, email) {
  await page.goto(`${BASE_URL}/signin`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
}
