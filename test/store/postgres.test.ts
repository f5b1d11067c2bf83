/**
 * The same conformance suite against a real PostgreSQL server. `.ci/run` starts one and sets
 * TEST_PG_URL (and CORRIDOR_REQUIRE_PG=1, so a missing server fails CI instead of skipping).
 */
import { describe, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { storeConformance } from './conformance.js';
import { trackingConformance } from './tracking-conformance.js';

const url = process.env.TEST_PG_URL;
if (!url && process.env.CORRIDOR_REQUIRE_PG === '1') {
  describe('PostgreSQL store', () => {
    it('needs TEST_PG_URL', () => {
      throw new Error('CORRIDOR_REQUIRE_PG=1 but TEST_PG_URL is not set');
    });
  });
}

let schema = '';
let n = 0;
describe.skipIf(!url)('PostgreSQL', () => {
  storeConformance('PostgreSQL (pg)', {
    fresh: async () => {
      schema = `t_${process.pid}_${Date.now().toString(36)}_${n++}`;
      return openStore(url!, { schema });
    },
    sibling: () => openStore(url!, { schema }),
    reopen: () => openStore(url!, { schema }),
  });
  trackingConformance('PostgreSQL', {
    fresh: async () => openStore(url!, { schema: `tnt_${process.pid}_${Date.now().toString(36)}_${n++}` }),
    sibling: () => Promise.reject(new Error('unused')),
    reopen: () => Promise.reject(new Error('unused')),
  });
});
