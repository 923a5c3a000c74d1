import type { Page } from '@lepton/registry';

/** Relay connection fields for any type mapped to a Page. */
export function connectionResolvers<T>() {
  return {
    edges: (page: Page<T>) => page.nodes.map((node) => ({ cursor: page.cursorOf(node), node })),
    pageInfo: (page: Page<T>) => ({
      hasNextPage: page.hasNextPage,
      endCursor: page.nodes.length > 0 ? page.cursorOf(page.nodes[page.nodes.length - 1]!) : null,
    }),
  };
}
