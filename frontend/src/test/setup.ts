import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { initI18n } from '../i18n/i18n';

// The first render of a file lazily imports its route's chunk; on a busy 2-core machine that
// alone took over the default second for findBy* to wait, failing tests that were right.
configure({ asyncUtilTimeout: 4000 });

// jsdom has no layout, so no scrolling: the router's scroll restoration calls it on every navigation.
window.scrollTo = () => {};

// Like a first visit: no stored choice, no gateway, so the bundled Spanish strings are used.
beforeEach(async () => {
  window.localStorage.clear();
  document.cookie = 'locale=; Max-Age=0; Path=/';
  delete window.APP_LOCALE;
  delete window.APP_TRANSLATIONS;
  await initI18n();
});

afterEach(() => {
  cleanup();
});
