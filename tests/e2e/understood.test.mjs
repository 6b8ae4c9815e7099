// kino-2 reads the prompt as slots and says so before anything is made: "Kino understood: a red
// rubber ball ...". A prompt naming nothing Kino can draw is answered at once; a person corrects
// the colour, and the clip is made from the corrected slots.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openBrowser } from './browser.mjs';
import { operatorAccount, signIn } from './operator.mjs';

test('Create says what Kino understood, refuses what it cannot draw, and makes the corrected clip', async () => {
  const { email } = operatorAccount('cleo');
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await signIn(page, email);
    await page.getByRole('link', { name: 'Create' }).click();

    // kino-2 is the default model; kino-1 stays, marked legacy.
    const model = page.locator('#create-model');
    assert.equal(await model.inputValue(), 'kino-2');
    assert.match(await model.locator('option[value="kino-1"]').innerText(), /legacy/);

    const prompt = page.getByLabel('Describe your video');
    await prompt.fill('a dragon flying over a castle');
    await page.locator('#create-not-understood').waitFor();
    assert.match(await page.locator('#create-not-understood').innerText(), /nothing it can draw/);

    await prompt.fill('a red rubber ball bounces twice on a wooden floor');
    const understood = page.locator('#create-understood-text');
    await understood.filter({ hasText: 'red' }).waitFor();
    assert.match(await understood.innerText(), /\bball\b/);
    await browser.screenshot('create-understood');

    await page.locator('#create-correct').click();
    await page.locator('#slot-colour').selectOption('blue');
    await page.locator('#create-understood').filter({ hasText: 'You asked for:' }).waitFor();
    assert.match(await understood.innerText(), /\bblue\b/);

    await page.getByRole('button', { name: 'Generate' }).click();
    const result = page.locator('#create-result');
    await result.locator('#create-result-understood').filter({ hasText: 'blue' }).waitFor();
    await result.locator('[data-status="completed"] video.player').waitFor({ timeout: 240_000 });
    await browser.screenshot('create-corrected-done');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});
