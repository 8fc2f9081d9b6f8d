// Gives unit tests an IndexedDB (for Dexie) without a browser.
import 'fake-indexeddb/auto';
