// Worker-thread bootstrap for outputs-worker.ts. Node 20 does not hand a worker the parent's
// --import loaders, so the TypeScript loader is registered here before the entry is imported.
import { register } from "tsx/esm/api";

register();
await import("./outputs-worker.ts");
