// Gives unit tests an IndexedDB (for Dexie) and the browser's i18n API (English) without a browser.
import 'fake-indexeddb/auto';
import { installI18n } from '../i18n';

installI18n('en');
