/**
 * The bubblewrap command line for one agent run. Shares the Blender sandbox's base (root folders,
 * the loader's /etc files, seccomp filter, uid drop as root) from blender-runner/client/sandbox.ts;
 * differs where an agent CLI needs it: node and the CLI's install (read-only), CA certificates
 * (TLS through the proxy), a writable HOME on tmpfs, and the workspace at /workspace.
 * No network namespace peer exists: the agent's only exits are the two unix sockets in /run/agent.
 */
import { existsSync } from "node:fs";
import { etcArgs, rootDirArgs, SECCOMP_FD, type SandboxTools } from "@/blender-runner/client/sandbox";

export const AGENT_WORKDIR = "/workspace";
export const AGENT_HOME = "/home/agent";
export const AGENT_SOCKETS = "/run/agent";
export const BLENDER_SOCKET = "blender.sock";
export const PROXY_SOCKET = "proxy.sock";
export const PROXY_PORT = 3128;
const MIB = 1024 * 1024;

export interface AgentSandboxSpec {
  /** lib/agents/sandbox on the host. */
  scriptsDir: string;
  nodeBinary: string;
  workspace: string;
  socketDir: string;
  passwdFile: string;
  readOnlyBinds: string[];
  proxy: boolean;
  env: Record<string, string>;
  argv: string[];
  dropToUid: number | null;
  tmpfsMiB: number;
  maxFileMiB: number;
  maxProcesses: number;
  tools: Pick<SandboxTools, "bwrap" | "prlimit" | "setpriv">;
}

export function buildAgentSandboxArgs(spec: AgentSandboxSpec): string[] {
  const asRoot = spec.dropToUid !== null;
  const args: string[] = [];
  if (asRoot) args.push("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try");
  else args.push("--unshare-all", "--unshare-user", "--disable-userns");
  args.push("--die-with-parent", "--new-session", "--hostname", "sandbox", "--seccomp", String(SECCOMP_FD));

  args.push("--clearenv");
  const proxyUrl = `http://127.0.0.1:${PROXY_PORT}`;
  const env: Record<string, string> = {
    PATH: "/opt/agent/bin:/usr/local/bin:/usr/bin:/bin",
    HOME: AGENT_HOME,
    LANG: "C.UTF-8",
    TMPDIR: "/tmp",
    ARENA_BLENDER_SOCKET: `${AGENT_SOCKETS}/${BLENDER_SOCKET}`,
    ...(spec.proxy
      ? { ARENA_PROXY_SOCKET: `${AGENT_SOCKETS}/${PROXY_SOCKET}`, ARENA_PROXY_PORT: String(PROXY_PORT), HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, https_proxy: proxyUrl, http_proxy: proxyUrl }
      : {}),
    ...spec.env,
  };
  for (const [k, v] of Object.entries(env)) args.push("--setenv", k, v);

  args.push("--ro-bind", "/usr", "/usr", ...rootDirArgs(), ...etcArgs());
  for (const f of ["/etc/ssl", "/etc/ca-certificates", "/etc/pki"]) if (existsSync(f)) args.push("--ro-bind", f, f);
  // Node's os.userInfo() (used by some CLIs) needs the uid in /etc/passwd.
  args.push("--ro-bind", spec.passwdFile, "/etc/passwd");
  // Parent folders bwrap creates implicitly are 0700 root: made explicitly, so the agent's uid can pass.
  const made = new Set<string>();
  for (const dir of spec.readOnlyBinds) {
    if (dir.startsWith("/usr/") || dir.startsWith("/etc/")) continue;
    const parts = dir.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const p = `/${parts.slice(0, i).join("/")}`;
      if (!made.has(p)) args.push("--perms", "0755", "--dir", p);
      made.add(p);
    }
    args.push("--ro-bind", dir, dir);
  }
  args.push("--dir", "/opt", "--dir", "/opt/agent", "--dir", "/opt/agent/bin");
  args.push("--ro-bind", spec.scriptsDir, "/opt/agent/lib");
  args.push("--ro-bind", spec.nodeBinary, "/opt/agent/bin/node");
  args.push("--ro-bind", `${spec.scriptsDir}/bin/run_blender`, "/opt/agent/bin/run_blender");
  args.push("--dir", "/run", "--ro-bind", spec.socketDir, AGENT_SOCKETS);
  // 1777: as root there is no user namespace, the tmpfs is root's, and the agent runs as its own uid
  // (nothing else lives in this mount namespace to share it with).
  args.push("--perms", "1777", "--size", String(spec.tmpfsMiB * MIB), "--tmpfs", AGENT_HOME);
  args.push("--perms", "1777", "--size", String(spec.tmpfsMiB * MIB), "--tmpfs", "/tmp");
  args.push("--bind", spec.workspace, AGENT_WORKDIR);
  args.push("--proc", "/proc", "--dev", "/dev", "--chdir", AGENT_WORKDIR);

  const command = [
    spec.tools.prlimit,
    `--fsize=${spec.maxFileMiB * MIB}`,
    `--nproc=${spec.maxProcesses}`,
    "--core=0",
    "--",
    "/opt/agent/bin/node",
    "/opt/agent/lib/launcher.mjs",
    ...spec.argv,
  ];
  if (asRoot) {
    args.push("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP");
    args.push("--", spec.tools.setpriv, `--reuid=${spec.dropToUid}`, `--regid=${spec.dropToUid}`, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--", ...command);
  } else {
    args.push("--", ...command);
  }
  return args;
}
