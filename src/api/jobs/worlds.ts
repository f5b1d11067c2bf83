/**
 * The World of a publication revision inside a worker thread: the files loaded once, plus the
 * publications the main thread sent with the work, rebuilt only when the revision moves. Job
 * workers and request workers both answer in it, so they see what the main thread sees.
 */
import type { PricedDataset } from '../../model/pricing-types.js';
import { applyPublications, type Publication } from '../../scenario/publications.js';
import { World } from '../../service/world.js';

export function worldsOf(
  files: PricedDataset,
): (snapshot: { revision: number; publications: readonly Publication[] } | undefined) => World {
  let world = new World(files);
  return (o) => {
    const revision = o?.revision ?? 0;
    if (revision !== world.revision) {
      const publications = o?.publications ?? [];
      world = new World(applyPublications(files, publications), revision, publications);
    }
    return world;
  };
}
