// The Create and Library pages as a member sees them on a server with no model installed:
// they say so plainly instead of pretending.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';
import { operatorAccount, signIn } from './operator.mjs';

test('without a model, Create says the server cannot make videos and Library is empty', async () => {
  const health = await (await fetch(`${BASE_URL}/api/v1/health`)).json();
  assert.deepEqual(health.models.loaded, [], 'this e2e server runs without model weights');
  const ada = operatorAccount('ada');
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await signIn(page, ada.email);
    await page.getByRole('link', { name: 'Create' }).click();
    await page.locator('#no-models').filter({ hasText: 'has no generation model installed' }).waitFor();
    await page.getByRole('link', { name: 'Library' }).click();
    await page.locator('#library-empty').waitFor();
    const refused = await page.evaluate(async () => {
      const response = await fetch('/api/v1/videos', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ prompt: 'a ball' }) });
      return { status: response.status, body: await response.json() };
    });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, 'model_unavailable');
  } finally {
    await browser.close();
  }
});
