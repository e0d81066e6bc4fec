/**
 * The agent's only way out: an HTTPS CONNECT proxy on a unix socket bound into the sandbox (which
 * has no network of its own; sandbox/launcher.mjs forwards a loopback port to it). A CONNECT to a
 * host:port on the allowlist is tunnelled; anything else (another host, plain HTTP, a malformed
 * request) is refused and recorded. TLS stays end to end: the proxy sees host names, not traffic.
 */
import net from "node:net";

const MAX_HEAD = 8192;
const CONNECT = /^CONNECT ([A-Za-z0-9.-]{1,253}):(\d{1,5}) HTTP\/1\.[01]\r\n/;

export interface AllowProxy {
  allowed: string[];
  denied: string[];
  close(): Promise<void>;
}

export async function startAllowProxy(socketPath: string, allowHosts: string[]): Promise<AllowProxy> {
  const allow = new Set(allowHosts.map((h) => h.toLowerCase()));
  const allowed: string[] = [];
  const denied: string[] = [];
  const note = (list: string[], what: string) => {
    if (list.length < 1000) list.push(what);
  };
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      head = Buffer.concat([head, c]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > MAX_HEAD) {
          note(denied, "(oversized request)");
          client.end("HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n");
        }
        return;
      }
      client.off("data", onData);
      const m = CONNECT.exec(head.subarray(0, end + 2).toString("latin1"));
      const target = m ? `${m[1]!.toLowerCase()}:${Number(m[2])}` : null;
      if (!m || !target || !allow.has(target)) {
        note(denied, target ?? head.subarray(0, Math.min(end, 100)).toString("latin1").split(" ").slice(0, 2).join(" "));
        client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      note(allowed, target);
      const rest = head.subarray(end + 4);
      const upstream = net.connect(Number(m[2]), m[1]!);
      sockets.add(upstream);
      upstream.on("close", () => sockets.delete(upstream));
      upstream.once("connect", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (rest.length) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      upstream.on("error", () => {
        if (!client.destroyed) client.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        upstream.destroy();
      });
      client.on("close", () => upstream.destroy());
    };
    client.on("data", onData);
  });
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(socketPath, resolve));
  return {
    allowed,
    denied,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
