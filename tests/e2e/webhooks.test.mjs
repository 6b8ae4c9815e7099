// A developer registers a webhook endpoint in the studio (a real receiver on this machine),
// keeps its secret, and sees an event arrive, signed, and logged as delivered; bad input is
// refused at the field; deleting the endpoint empties the page.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';
import { operatorAccount, signIn } from './operator.mjs';

/** An HTTP receiver on a free loopback port that keeps every request it gets. */
async function receiver() {
  const got = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      got.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/kino-events`, got, close: () => server.close() };
}

/** The Standard Webhooks check a receiver makes: `v1,` base64 HMAC-SHA256 of `id.timestamp.body`. */
function signedWith(secret, { headers, body }) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
  return headers['webhook-signature'].split(' ').includes(`v1,${expected}`);
}

test('a webhook endpoint added in the studio gets signed events and logs them', async () => {
  const ada = operatorAccount('hook');
  const hooks = await receiver();
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await signIn(page, ada.email);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.locator('#no-webhooks').waitFor();

    await page.getByLabel('URL').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#webhook-url-error').filter({ hasText: 'webhooks are sent over https or http, not ftp' }).waitFor();
    await page.getByLabel('URL').fill(hooks.url);
    await page.locator('#event-video-completed').uncheck();
    await page.locator('#event-video-failed').uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#events-error').filter({ hasText: 'choose at least one event' }).waitFor();
    await page.locator('#event-video-failed').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.locator('#new-webhook-secret').inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const card = page.locator('.webhook-endpoint');
    assert.equal(await card.locator('.webhook-url').innerText(), hooks.url);
    assert.match(await card.locator('.hint').innerText(), /^video\.failed · added \d{4}-\d\d-\d\d$/);

    // A video asked for and cancelled at once ends as failed: the endpoint hears of it.
    const made = await page.request.post(`${BASE_URL}/v1/videos`, { data: { prompt: 'a red ball bounces', seconds: '2' } });
    assert.equal(made.status(), 200);
    const video = await made.json();
    const cancelled = await page.request.post(`${BASE_URL}/api/v1/videos/${video.id}/cancel`);
    assert.equal(cancelled.status(), 200);
    const deadline = Date.now() + 120_000;
    while (hooks.got.length === 0 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 200));
    assert.equal(hooks.got.length, 1, 'one event came');
    const [request] = hooks.got;
    assert.ok(signedWith(secret, request), 'signed with the secret the page showed');
    const event = JSON.parse(request.body);
    assert.deepEqual({ type: event.type, object: event.object, data: event.data }, { type: 'video.failed', object: 'event', data: { id: video.id } });

    await card.getByRole('button', { name: 'Show deliveries' }).click();
    const row = card.locator('.delivery').first();
    await row.waitFor();
    assert.equal(await row.locator('.delivery-state').innerText(), 'delivered');
    assert.equal(await row.locator('.delivery-attempts').innerText(), '1');
    assert.equal(await row.getByRole('link').innerText(), video.id);
    await browser.screenshot('webhooks');

    await card.getByRole('button', { name: `Delete ${hooks.url}` }).click();
    await page.locator('#no-webhooks').waitFor();
    assert.equal(await page.locator('#new-webhook-secret').count(), 0, 'the deleted endpoint\'s secret is gone from the page');
    const expected = /Failed to load resource: the server responded with a status of 400/;
    assert.deepEqual(browser.problems.filter((p) => !expected.test(p)), []);
  } finally {
    await browser.close();
    hooks.close();
  }
});
