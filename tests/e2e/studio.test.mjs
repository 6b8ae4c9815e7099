// The studio as a person meets it: it loads, talks to the server, checks the GPU, and keeps
// working when there is no GPU.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';

/** The device check's inputs, as the page states them: A[i] = ((7i mod 13) − 6)/4, B[j] = ((5j mod 11) − 5)/8. */
function expectedProduct(m, k, n) {
  const a = (i) => (((7 * i) % 13) - 6) / 4;
  const b = (j) => (((5 * j) % 11) - 5) / 8;
  const c = [];
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += a(row * k + i) * b(i * n + col);
      c.push(sum);
    }
  }
  return c;
}

const waitUntilChecked = (page) =>
  page.waitForFunction(() => {
    const state = document.querySelector('#gpu-panel')?.dataset.state;
    return state && state !== 'running';
  }, null, { timeout: 180_000 });

test('the studio renders and its WebGPU check computes the right numbers', async (t) => {
  const browser = await openBrowser({ webgpu: true });
  const { page } = browser;
  try {
    await page.goto(BASE_URL);
    await page.locator('header .brand').waitFor();
    assert.equal(await page.title(), 'Kino');
    await page.locator('#server-status[data-state="ok"]').waitFor();
    assert.match(await page.locator('#server-status').innerText(), /Server \d+\.\d+\.\d+ is up; sqlite database reachable/);

    await page.getByRole('link', { name: 'Device' }).click();
    await page.waitForURL('**/device');
    await waitUntilChecked(page);
    const shot = await browser.screenshot('device');
    t.diagnostic(`screenshot: ${shot}`);

    const panel = page.locator('#gpu-panel');
    const state = await panel.getAttribute('data-state');
    if (state === 'unavailable' && process.env.KINO_E2E_ALLOW_NO_WEBGPU === '1') {
      t.skip(`no WebGPU here: ${await panel.innerText()}`);
      return;
    }
    assert.equal(state, 'done', `the GPU check did not finish: ${await panel.innerText()}`);

    const [m, k, n] = [16, 32, 24];
    const expected = expectedProduct(m, k, n);
    const checksum = expected.reduce((sum, x) => sum + x, 0);
    assert.equal(Number(await page.locator('#gpu-checksum').innerText()), checksum);
    assert.equal(Number(await page.locator('#gpu-max-diff').innerText()), 0);
    const corner = await page.locator('#gpu-corner td').allInnerTexts();
    assert.equal(corner.length, 16);
    corner.forEach((text, index) => {
      const [row, col] = [Math.floor(index / 4), index % 4];
      assert.equal(Number(text), expected[row * n + col], `C[${row}][${col}]`);
    });
    assert.match(await page.locator('#gpu-verdict').innerText(), /matches the CPU's exactly/);
    const adapter = await page.locator('#gpu-adapter').innerText();
    t.diagnostic(`adapter: ${adapter}; ${await page.locator('#gpu-time').innerText()}`);
    assert.ok(adapter.trim().length > 0);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('without WebGPU the studio says so plainly and everything else works', async () => {
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await page.goto(`${BASE_URL}/device`);
    await waitUntilChecked(page);
    const panel = page.locator('#gpu-panel');
    assert.equal(await panel.getAttribute('data-state'), 'unavailable');
    assert.match(await panel.innerText(), /WebGPU is (not available|present but the browser offers no adapter)/);
    await browser.screenshot('device-without-webgpu');

    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(`${BASE_URL}/`);
    const email = page.getByLabel('E-mail');
    const join = page.getByRole('button', { name: 'Join' });
    const message = page.locator('#waitlist-message');

    await email.fill('not an address');
    await join.click();
    await assert.doesNotReject(message.filter({ hasText: 'email must look like name@example.org' }).waitFor());

    const address = `e2e-${Date.now()}@example.org`;
    await email.fill(address);
    await join.click();
    await message.filter({ hasText: 'You are on the list' }).waitFor();
    assert.match(await message.innerText(), new RegExp(`We will e-mail ${address}`));

    await join.click();
    await message.filter({ hasText: 'was already on the list' }).waitFor();
    await browser.screenshot('home-waitlist');
  } finally {
    await browser.close();
  }
});

test('an unknown page says so and links back', async () => {
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await page.goto(`${BASE_URL}/no/such/page`);
    await page.getByRole('heading', { name: 'Nothing here' }).waitFor();
    await page.getByRole('link', { name: 'Go to the start.' }).click();
    await page.getByRole('heading', { name: 'Make a video from a sentence.' }).waitFor();
  } finally {
    await browser.close();
  }
});
