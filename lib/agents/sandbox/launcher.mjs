// Runs inside the agent sandbox (lib/agents/sandbox-args.ts), as the agent's parent: the sandbox
// has no network, so when the host offers its allowlisting proxy (a unix socket bound in at
// ARENA_PROXY_SOCKET) this opens a loopback port that forwards to it, then runs the agent CLI.
import { spawn } from "node:child_process";
import net from "node:net";

const argv = process.argv.slice(2);
const socket = process.env.ARENA_PROXY_SOCKET;
const port = Number(process.env.ARENA_PROXY_PORT || 3128);

if (socket) {
  const server = net.createServer((client) => {
    const upstream = net.connect(socket);
    client.pipe(upstream).on("error", () => upstream.destroy());
    upstream.pipe(client).on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  server.unref();
}

const child = spawn(argv[0], argv.slice(1), { stdio: "inherit" });
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(sig, () => child.kill(sig));
child.on("error", (err) => {
  process.stderr.write(`arena: cannot start ${argv[0]}: ${err.message}\n`);
  process.exit(127);
});
child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal === "SIGKILL" ? 9 : 15)));
