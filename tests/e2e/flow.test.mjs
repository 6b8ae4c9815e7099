// The whole loop with real generation: Ada is invited, signs up, generates a clip on Create
// (live progress, then the player), publishes it; Bob sees it in his feed, likes it,
// comments, remixes it; Ada finds Bob's remix under her original.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';
import { PASSWORD, kinoAdmin, uniqueHandle } from './operator.mjs';

/** Signs up through the studio with a fresh invite from the operator. */
async function signUpInvited(page, prefix) {
  const handle = uniqueHandle(prefix);
  const code = kinoAdmin('create-invite');
  await page.goto(`${BASE_URL}/signup?invite=${code}`);
  await page.getByLabel('E-mail').fill(`${handle}@example.org`);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Birth date').fill('1990-05-17');
  await page.getByLabel('Region').fill('de');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/account');
  return handle;
}

/** Waits for a finished player in `scope` and checks that the browser can play it with sound. */
async function playable(scope) {
  const player = scope.locator('[data-status="completed"] video.player').first();
  await player.waitFor({ timeout: 240_000 });
  const media = await player.evaluate(async (video) => {
    if (video.readyState < 1) await new Promise((ok, fail) => { video.onloadedmetadata = ok; video.onerror = () => fail(new Error('the video did not load')); });
    return { duration: video.duration, width: video.videoWidth, audioTracks: video.audioTracks ? video.audioTracks.length : null };
  });
  assert.ok(media.duration > 1.5 && media.duration < 2.5, `duration ${media.duration}`);
  assert.equal(media.width, 512);
  return media;
}

test('Ada generates and publishes, Bob sees it in the feed and remixes it, Ada sees the remix', async () => {
  // An operator account exists first, so both people below are ordinary members.
  kinoAdmin('create-user', '--email', `ops_${uniqueHandle('o')}@example.org`, '--password', PASSWORD);
  const ada = await openBrowser({ webgpu: false });
  const bob = await openBrowser({ webgpu: false });
  try {
    const adaHandle = await signUpInvited(ada.page, 'ada');
    await ada.page.getByRole('link', { name: 'Create' }).click();
    await ada.page.getByLabel('Describe your video').fill('a red rubber ball bounces twice on a wooden floor');
    await ada.page.getByRole('button', { name: 'Generate' }).click();
    // Live progress over server-sent events: the bar moves before the clip arrives.
    const result = ada.page.locator('#create-result');
    await result.locator('[data-status="in_progress"], [data-status="completed"]').first().waitFor({ timeout: 120_000 });
    await playable(result);
    await ada.screenshot('create-done');

    await ada.page.getByRole('link', { name: 'Library' }).click();
    await ada.page.locator('.library-item').first().getByRole('link', { name: 'Open' }).click();
    await ada.page.waitForURL('**/v/video_*');
    const originalUrl = ada.page.url();
    const originalId = originalUrl.split('/v/')[1];
    await ada.page.getByLabel('Who sees it').selectOption('public');
    await ada.page.getByRole('button', { name: 'Save' }).click();
    await ada.page.locator('.publish-status').filter({ hasText: 'Published: public' }).waitFor();

    const bobHandle = await signUpInvited(bob.page, 'bob');
    await bob.page.getByRole('link', { name: 'Feed' }).click();
    const item = bob.page.locator(`.video-card[data-video-id="${originalId}"]`);
    await item.waitFor();
    assert.equal(await item.locator('.why').innerText(), 'popular on Kino: 0 likes, 0 remixes');
    await item.getByRole('link', { name: 'Open' }).click();
    await bob.page.waitForURL(`**/v/${originalId}`);
    await playable(bob.page);
    await bob.page.locator('#like-button').click();
    await bob.page.locator('#like-count').filter({ hasText: '1 likes' }).waitFor();
    await bob.page.getByLabel('Add a comment').fill('that second bounce!');
    await bob.page.getByRole('button', { name: 'Comment' }).click();
    await bob.page.locator('.comment-body').filter({ hasText: 'that second bounce!' }).waitFor();
    await bob.page.getByLabel('Your prompt').fill('a blue rubber ball bounces twice on a wooden floor');
    await bob.page.getByRole('button', { name: 'Remix' }).click();
    await bob.page.locator('#remix-started').getByRole('link').click();
    await bob.page.waitForURL('**/v/video_*');
    const remixId = bob.page.url().split('/v/')[1];
    assert.notEqual(remixId, originalId);
    // The page follows its own video live until it is done.
    await playable(bob.page);
    await bob.page.locator('#ancestry .video-card').filter({ hasText: `@${adaHandle}` }).waitFor();
    await bob.page.getByLabel('Who sees it').selectOption('public');
    await bob.page.getByRole('button', { name: 'Save' }).click();
    await bob.page.locator('.publish-status').filter({ hasText: 'Published: public' }).waitFor();
    await bob.screenshot('remix-page');

    await ada.page.goto(originalUrl);
    const remixCard = ada.page.locator(`#remixes .video-card[data-video-id="${remixId}"]`);
    await remixCard.waitFor();
    assert.match(await remixCard.innerText(), new RegExp(`@${bobHandle}`));
    await ada.page.locator('.comment').filter({ hasText: `@${bobHandle}` }).waitFor();
    await ada.screenshot('original-with-remix');
  } finally {
    await ada.close();
    await bob.close();
  }
});
