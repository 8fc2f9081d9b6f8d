// A setup file: Reclaim's code run in the test process itself (the portal client and job engine
// in Node, the words an end-to-end test expects) speaks English, the browsers' language in tests.
import { installI18n } from './i18n';

installI18n('en');
