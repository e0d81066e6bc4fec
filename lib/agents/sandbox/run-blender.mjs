// `run_blender <script.py>` inside the agent sandbox: sends the script's text (never a path) to the
// host over the unix socket at ARENA_BLENDER_SOCKET, where the arena's own sandboxed runner
// executes it (preview profile), then writes what came back under blender_runs/<n>/ and prints it.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  process.stderr.write("usage: run_blender <script.py>\n");
  process.exit(2);
}
let code;
try {
  code = readFileSync(file, "utf8");
} catch (err) {
  process.stderr.write(`run_blender: cannot read ${file}: ${err.message}\n`);
  process.exit(2);
}

const reply = await new Promise((resolve, reject) => {
  const sock = net.connect(process.env.ARENA_BLENDER_SOCKET);
  let buf = "";
  sock.setEncoding("utf8");
  sock.on("data", (d) => (buf += d));
  sock.on("end", () => resolve(buf));
  sock.on("error", reject);
  sock.write(JSON.stringify({ name: path.basename(file), code }) + "\n");
});
let res;
try {
  res = JSON.parse(reply);
} catch {
  process.stderr.write("run_blender: no answer from the arena\n");
  process.exit(3);
}

const runs = "blender_runs";
mkdirSync(runs, { recursive: true });
const n = readdirSync(runs).filter((d) => /^\d+$/.test(d)).length + 1;
const dir = path.join(runs, String(n));
mkdirSync(dir);
writeFileSync(path.join(dir, "status.json"), JSON.stringify({ status: res.status, stats: res.stats ?? null, seconds: res.seconds ?? null }, null, 2) + "\n");
writeFileSync(path.join(dir, "error.txt"), res.error ?? "");
for (const v of res.views ?? []) writeFileSync(path.join(dir, path.basename(v.name)), Buffer.from(v.png, "base64"));

process.stdout.write(`status: ${res.status}\n`);
if (res.stats) process.stdout.write(`meshes: ${res.stats.meshObjects ?? "?"}, vertices: ${res.stats.vertices ?? "?"}\n`);
process.stdout.write(`views: ${(res.views ?? []).length}/4 in ${dir}/\n`);
if (res.error) process.stdout.write(`error:\n${res.error}\n`);
process.exit(res.status === "OK" ? 0 : 1);
