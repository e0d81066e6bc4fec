/**
 * Next's own control-flow errors (redirect(), notFound(), dynamic-usage bailouts) must leave a
 * route handler as they are, so Next can act on them: `unstable_rethrow` tells them apart.
 *
 * Imported from the module `next/navigation` takes it from, not from `next/navigation` itself:
 * loaded outside Next's bundler (the web server's fast lane, lib/web/fast-lane.ts), that entry
 * also loads the pages renderer and react-dom/server, which refuse the react-server condition.
 * tests/unit/fast-lane.test.ts checks that both are one function, so a Next upgrade that moves it
 * fails there rather than in production.
 */
export { unstable_rethrow } from "next/dist/client/components/unstable-rethrow";
