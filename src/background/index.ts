// Background service worker entry. (Filled in by the background work: router, jobs, cache.)
import browser from 'webextension-polyfill';

browser.runtime.onInstalled.addListener(() => {
  console.info('Reclaim installed');
});
