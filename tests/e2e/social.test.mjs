// Two people find each other's profiles, follow, and one blocks the other.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';
import { operatorAccount, signIn } from './operator.mjs';

test('people follow each other from their profiles, and a block hides the blocker', async () => {
  const ada = operatorAccount('ada');
  const bob = operatorAccount('bob');
  const adaBrowser = await openBrowser({ webgpu: false });
  const bobBrowser = await openBrowser({ webgpu: false });
  try {
    await signIn(bobBrowser.page, bob.email);
    await bobBrowser.page.goto(`${BASE_URL}/u/${ada.handle}`);
    await bobBrowser.page.locator('#profile-handle').filter({ hasText: `@${ada.handle}` }).waitFor();
    assert.equal(await bobBrowser.page.locator('#profile-followers').innerText(), '0 followers');
    await bobBrowser.page.getByRole('button', { name: 'Follow', exact: true }).click();
    await bobBrowser.page.locator('#profile-followers').filter({ hasText: '1 followers' }).waitFor();
    await bobBrowser.page.getByRole('button', { name: 'Unfollow' }).waitFor();

    await signIn(adaBrowser.page, ada.email);
    await adaBrowser.page.getByRole('link', { name: 'Your public profile' }).click();
    await adaBrowser.page.locator('#profile-followers').filter({ hasText: '1 followers' }).waitFor();
    await adaBrowser.page.goto(`${BASE_URL}/u/${bob.handle}`);
    await adaBrowser.page.locator('#follows-you').waitFor();
    await adaBrowser.page.getByRole('button', { name: 'Block' }).click();
    await adaBrowser.page.getByText('You block this person').waitFor();
    await adaBrowser.screenshot('profile-blocked');

    await bobBrowser.page.reload();
    await bobBrowser.page.locator('#profile-error').filter({ hasText: `there is no one called @${ada.handle}` }).waitFor();
  } finally {
    await adaBrowser.close();
    await bobBrowser.close();
  }
});
