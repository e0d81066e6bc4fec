// Preloaded by `npm run bench:votes -- --profile <dir>` into every process of its stack
// (NODE_OPTIONS=--import, since Node refuses --cpu-prof there): in the web processes only, it
// samples the CPU with V8's profiler from start to exit, as --cpu-prof would, and writes
// <dir>/web.<pid>.cpuprofile on exit for scripts/bench-profile.ts. Plain JavaScript: it loads
// before tsx.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir && process.argv.some((a) => a.endsWith("web-server.ts"))) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  // The in-process inspector answers synchronously, so this completes inside the exit handler.
  process.on("exit", () => {
    session.post("Profiler.stop", (err, result) => {
      if (!err) writeFileSync(path.join(dir, `web.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
