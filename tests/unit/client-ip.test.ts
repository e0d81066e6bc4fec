/**
 * Client addresses: IP parsing (IPv4, IPv6, IPv4-mapped), CIDR matching, /64 buckets, the
 * TRUSTED_PROXIES parser and the rightmost-untrusted-hop rule, and the header rewrite the web
 * server entry applies to every request, including over a real socket.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { inCidr, ipBucket, normaliseIp, parseCidr, parseHop, parseIp } from "@/lib/web/ip";
import { parseTrustedProxies, selectClientIp, TrustedProxiesError, type ProxyTrust } from "@/lib/web/client-ip";
import { applyClientIp, CLIENT_IP_HEADER, vouchedClientIp } from "@/lib/web/forwarded";

describe("IP parsing", () => {
  test("canonical forms", () => {
    assert.equal(normaliseIp("192.0.2.7"), "192.0.2.7");
    assert.equal(normaliseIp(" 2001:DB8:0:0:0:0:0:1 "), "2001:db8::1");
    assert.equal(normaliseIp("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1", "the first of two equal zero runs is compressed");
    assert.equal(normaliseIp("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1", "a single zero group stays");
    assert.equal(normaliseIp("::"), "::");
    assert.equal(normaliseIp("::1"), "::1");
    assert.equal(normaliseIp("fe80::1%eth0"), "fe80::1", "zone ids are dropped");
  });

  test("IPv4-mapped IPv6 is the IPv4 address", () => {
    assert.equal(normaliseIp("::ffff:127.0.0.1"), "127.0.0.1");
    assert.equal(normaliseIp("::FFFF:7f00:1"), "127.0.0.1");
    assert.deepEqual(parseIp("::ffff:10.1.2.3"), { family: 4, value: 0x0a010203n });
    // Not mapped: IPv4-compatible (deprecated) and NAT64 prefixes stay IPv6.
    assert.equal(parseIp("::10.1.2.3")?.family, 6);
    assert.equal(parseIp("64:ff9b::10.1.2.3")?.family, 6);
  });

  test("not addresses", () => {
    for (const bad of ["", "unknown", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4x", "1.2.3.4:80", "[::1]", "2001:db8::g", "1::2::3", "_hidden"]) {
      assert.equal(parseIp(bad), null, bad);
    }
  });

  test("X-Forwarded-For hops may carry ports, brackets and quotes", () => {
    assert.equal(parseHop("203.0.113.9:51234"), "203.0.113.9");
    assert.equal(parseHop("[2001:db8::7]:443"), "2001:db8::7");
    assert.equal(parseHop("[2001:db8::7]"), "2001:db8::7");
    assert.equal(parseHop('"[2001:db8::7]:443"'), "2001:db8::7");
    assert.equal(parseHop(" ::ffff:198.51.100.2 "), "198.51.100.2");
    assert.equal(parseHop("unknown"), null);
    assert.equal(parseHop("2001:db8::7:443"), "2001:db8::7:443", "an unbracketed IPv6 is read as an address, never split at a colon");
  });

  test("CIDR ranges", () => {
    const ten = parseCidr("10.0.0.0/8")!;
    assert.ok(inCidr(parseIp("10.255.1.2")!, ten));
    assert.ok(!inCidr(parseIp("11.0.0.1")!, ten));
    assert.ok(inCidr(parseIp("::ffff:10.9.9.9")!, ten), "a mapped address matches its IPv4 range");
    assert.ok(!inCidr(parseIp("::a00:1")!, ten), "an IPv6 address never matches an IPv4 range");
    const doc = parseCidr("2001:db8::/32")!;
    assert.ok(inCidr(parseIp("2001:db8:ffff::1")!, doc));
    assert.ok(!inCidr(parseIp("2001:db9::1")!, doc));
    assert.deepEqual(parseCidr("192.0.2.77/24"), { family: 4, base: 0xc0000200n, prefix: 24 }, "host bits are cleared");
    assert.deepEqual(parseCidr("::ffff:10.0.0.0/104"), parseCidr("10.0.0.0/8"), "a mapped range is its IPv4 range");
    assert.equal(parseCidr("192.0.2.1")!.prefix, 32);
    assert.equal(parseCidr("::1")!.prefix, 128);
    assert.ok(inCidr(parseIp("0.0.0.1")!, parseCidr("0.0.0.0/0")!));
    for (const bad of ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8/9", "10.0.0.0/", "10.0.0.0/a", "example.org/8", "/8"]) {
      assert.equal(parseCidr(bad), null, bad);
    }
  });

  test("per-IP limits count IPv4 addresses and IPv6 /64s", () => {
    assert.equal(ipBucket("198.51.100.23"), "198.51.100.23");
    assert.equal(ipBucket("::ffff:198.51.100.23"), "198.51.100.23");
    assert.equal(ipBucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
    assert.equal(ipBucket("2001:db8:1:2::1"), ipBucket("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    assert.notEqual(ipBucket("2001:db8:1:2::1"), ipBucket("2001:db8:1:3::1"));
    assert.equal(ipBucket("::1"), "::/64");
  });
});

describe("TRUSTED_PROXIES", () => {
  test("parses none, hop counts, addresses and ranges", () => {
    assert.deepEqual(parseTrustedProxies(undefined), { kind: "none" });
    assert.deepEqual(parseTrustedProxies(" "), { kind: "none" });
    assert.deepEqual(parseTrustedProxies("0"), { kind: "none" });
    assert.deepEqual(parseTrustedProxies("2"), { kind: "hops", hops: 2 });
    const t = parseTrustedProxies("10.0.0.0/8, 2001:db8::/32,192.0.2.1, loopback");
    assert.equal(t.kind, "cidrs");
    assert.equal(t.kind === "cidrs" && t.cidrs.length, 5);
  });

  test("malformed values fail with the variable's name", () => {
    for (const bad of ["10.0.0.0/40", "proxy.example.org", "10.0.0.0/8,,nope", "21", "-1"]) {
      assert.throws(() => parseTrustedProxies(bad), (e: unknown) => e instanceof TrustedProxiesError && /TRUSTED_PROXIES/.test(e.message), bad);
    }
  });
});

describe("selecting the client address", () => {
  const none = parseTrustedProxies("");
  const ranges = parseTrustedProxies("10.0.0.0/8,2001:db8:ffff::/48");
  const pick = (trust: ProxyTrust, peer: string | undefined, forwardedFor?: string) => selectClientIp({ peer, forwardedFor, trust });

  test("trusting no one: the socket address, whatever the headers say", () => {
    assert.equal(pick(none, "203.0.113.5", "1.1.1.1"), "203.0.113.5");
    assert.equal(pick(none, "::ffff:203.0.113.5", "1.1.1.1, 2.2.2.2"), "203.0.113.5");
    assert.equal(pick(none, undefined, "1.1.1.1"), null);
  });

  test("trusted ranges: the rightmost hop that is not one of ours", () => {
    assert.equal(pick(ranges, "10.0.0.2", "198.51.100.7"), "198.51.100.7");
    // The client wrote the first two hops; our proxies appended the rest.
    assert.equal(pick(ranges, "10.0.0.2", "6.6.6.6, 7.7.7.7, 198.51.100.7, 10.0.0.9"), "198.51.100.7");
    assert.equal(pick(ranges, "2001:db8:ffff::2", "2001:db8:1::5"), "2001:db8:1::5");
    assert.equal(pick(ranges, "::ffff:10.0.0.2", "[2001:db8:1::5]:1234"), "2001:db8:1::5");
    // A peer outside the ranges is the client; its X-Forwarded-For is ignored.
    assert.equal(pick(ranges, "203.0.113.5", "198.51.100.7"), "203.0.113.5");
    // Through a trusted proxy without the header: the proxy is all we know.
    assert.equal(pick(ranges, "10.0.0.2", undefined), "10.0.0.2");
    assert.equal(pick(ranges, "10.0.0.2", ""), "10.0.0.2");
    // Only our proxies in the chain: the request started inside; the leftmost is the origin.
    assert.equal(pick(ranges, "10.0.0.2", "10.1.1.1, 10.0.0.3"), "10.1.1.1");
  });

  test("trusted ranges: malformed hops cannot pick a fresh bucket", () => {
    assert.equal(pick(ranges, "10.0.0.2", "unknown"), "10.0.0.2");
    assert.equal(pick(ranges, "10.0.0.2", "198.51.100.7, garbage, 10.0.0.3"), "10.0.0.3");
    assert.equal(pick(ranges, "10.0.0.2", "garbage, 198.51.100.7"), "198.51.100.7", "garbage left of the client's hop does not matter");
    assert.equal(pick(ranges, "10.0.0.2", " , ,198.51.100.7,"), "198.51.100.7", "empty list items are skipped");
  });

  test("hop count: that many proxies in front, whatever their addresses", () => {
    const one = parseTrustedProxies("1");
    const two = parseTrustedProxies("2");
    assert.equal(pick(one, "172.16.0.1", "6.6.6.6, 198.51.100.7"), "198.51.100.7");
    assert.equal(pick(two, "172.16.0.1", "6.6.6.6, 198.51.100.7, 172.16.0.9"), "198.51.100.7");
    assert.equal(pick(one, "172.16.0.1", undefined), "172.16.0.1", "fewer hops than proxies: the leftmost there is");
    assert.equal(pick(two, "172.16.0.1", "198.51.100.7"), "198.51.100.7");
    assert.equal(pick(one, "172.16.0.1", "6.6.6.6, nonsense"), "172.16.0.1", "a malformed hop falls back to the proxy that sent it");
  });
});

describe("the web server's header rewrite", () => {
  const secret = "s".repeat(40);

  test("untrusted peers lose every forwarding header; the vouched address is the socket's", () => {
    const headers: IncomingHttpHeaders = {
      "x-forwarded-for": "1.2.3.4",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example",
      "x-real-ip": "5.6.7.8",
      forwarded: "for=9.9.9.9",
      [CLIENT_IP_HEADER]: "4.4.4.4",
      "x-arena-client-ip-sig": "forged",
      host: "arena.example",
    };
    assert.equal(applyClientIp(headers, "::ffff:203.0.113.5", parseTrustedProxies(""), secret), "203.0.113.5");
    for (const h of ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip", "forwarded"]) assert.equal(headers[h], undefined, h);
    assert.equal(headers.host, "arena.example");
    assert.equal(vouchedClientIp((n) => headers[n] as string | undefined, secret), "203.0.113.5");
  });

  test("trusted peers keep their forwarding headers", () => {
    const headers: IncomingHttpHeaders = { "x-forwarded-for": "6.6.6.6, 198.51.100.7", "x-forwarded-proto": "https" };
    assert.equal(applyClientIp(headers, "10.0.0.2", parseTrustedProxies("10.0.0.0/8"), secret), "198.51.100.7");
    assert.equal(headers["x-forwarded-proto"], "https");
    assert.equal(headers[CLIENT_IP_HEADER], "198.51.100.7");
  });

  test("a client-supplied internal header is never believed", () => {
    const get = (h: Record<string, string>) => (n: string) => h[n];
    assert.equal(vouchedClientIp(get({ [CLIENT_IP_HEADER]: "1.2.3.4" }), secret), null);
    assert.equal(vouchedClientIp(get({ [CLIENT_IP_HEADER]: "1.2.3.4", "x-arena-client-ip-sig": "AAAA" }), secret), null);
    const signed: IncomingHttpHeaders = {};
    applyClientIp(signed, "1.2.3.4", parseTrustedProxies(""), secret);
    assert.equal(vouchedClientIp(get({ ...(signed as Record<string, string>), [CLIENT_IP_HEADER]: "5.6.7.8" }), secret), null, "the signature binds the address");
    assert.equal(vouchedClientIp((n) => signed[n] as string, "another-secret".repeat(3)), null);
  });

  test("over a real socket: rotating X-Forwarded-For from an untrusted peer never changes the address", async () => {
    const seen: (string | null)[] = [];
    const trust = parseTrustedProxies("");
    const server = createServer((req, res) => {
      seen.push(applyClientIp(req.headers, req.socket.remoteAddress, trust, secret));
      res.end(String(req.headers["x-forwarded-for"] ?? ""));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const get = (xff: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, headers: { "x-forwarded-for": xff } }, (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve(body));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const bodies = [await get("1.1.1.1"), await get("2.2.2.2"), await get("3.3.3.3, 4.4.4.4")];
      assert.deepEqual(seen, ["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
      assert.deepEqual(bodies, ["", "", ""], "the forged header does not reach the app");
    } finally {
      server.close();
    }
  });
});
