// A person is invited, signs up, manages invites and API keys, signs out and in, and deletes
// the account, all through the studio.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';
import { PASSWORD, kinoAdmin, uniqueHandle } from './operator.mjs';

test('an invited person signs up, makes an API key, signs out and in, and deletes the account', async (t) => {
  const handle = uniqueHandle('ada');
  const email = `${handle}@example.org`;
  // An operator account first, so the person below is an ordinary member whatever ran before.
  kinoAdmin('create-user', '--email', `ops_${handle}@example.org`, '--password', PASSWORD);
  const code = kinoAdmin('create-invite');
  assert.match(code, /^[A-Za-z0-9_-]{12}$/);

  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await page.goto(`${BASE_URL}/signup?invite=${code}`);
    assert.equal(await page.getByLabel('Invite code').inputValue(), code);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Handle').fill(handle);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Birth date').fill('2020-01-01');
    await page.getByLabel('Region').fill('de');
    await page.getByRole('button', { name: 'Create account' }).click();
    const birthError = page.locator('#signup-birth-date-error');
    await birthError.waitFor();
    assert.equal(await birthError.innerText(), 'Kino is for people aged 13 and older');
    await browser.screenshot('signup-error');

    await page.getByLabel('Birth date').fill('1990-05-17');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/account');
    assert.equal(await page.locator('#account-handle').innerText(), `@${handle}`);
    assert.equal(await page.locator('#account-email').innerText(), email);
    assert.equal(await page.locator('#account-age-band').innerText(), 'adult');

    await page.locator('#invites-left').filter({ hasText: 'You can give 5 more invites.' }).waitFor();
    await page.getByRole('button', { name: 'Make an invite' }).click();
    await page.locator('#invites-left').filter({ hasText: 'You can give 4 more invites.' }).waitFor();
    const shareLink = await page.locator('.share-link').first().inputValue();
    assert.match(shareLink, new RegExp(`^${BASE_URL}/signup\\?invite=[A-Za-z0-9_-]{12}$`));
    await browser.screenshot('account');

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.locator('#no-api-keys').waitFor();
    await page.getByLabel('What is it for?').fill('e2e script');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.locator('#new-api-key').inputValue();
    assert.match(key, /^kino_sk_[A-Za-z0-9_-]{43}$/);
    const asScript = await fetch(`${BASE_URL}/api/v1/account`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(asScript.status, 200);
    assert.equal((await asScript.json()).handle, handle);
    await page.getByRole('button', { name: 'Revoke e2e script' }).click();
    await page.locator('#no-api-keys').waitFor();
    const revoked = await fetch(`${BASE_URL}/api/v1/account`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(revoked.status, 401);
    assert.equal((await revoked.json()).error.code, 'invalid_api_key');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto(`${BASE_URL}/account`);
    await page.getByText('This page is for signed-in people.').waitFor();

    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signin-error').filter({ hasText: 'the e-mail or the password is not right' }).waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/account');

    const deleteForm = page.locator('#delete-account');
    await deleteForm.getByLabel('Password').fill('not my password');
    await deleteForm.getByRole('button', { name: 'Delete my account' }).click();
    await page.locator('#delete-password-error').filter({ hasText: 'the password is not right' }).waitFor();
    await deleteForm.getByLabel('Password').fill(PASSWORD);
    await deleteForm.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL(`${BASE_URL}/`);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();

    const signIn = await fetch(`${BASE_URL}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    assert.equal(signIn.status, 401, 'the deleted account can no longer sign in');
    // The deliberate mistakes above answer 400/401, which Chromium logs; nothing else may fail.
    const expected = /Failed to load resource: the server responded with a status of 40[01]/;
    assert.deepEqual(browser.problems.filter((p) => !expected.test(p)), []);
    t.diagnostic(`signed up, used and deleted @${handle}`);
  } finally {
    await browser.close();
  }
});
