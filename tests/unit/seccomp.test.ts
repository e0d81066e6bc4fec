/**
 * The seccomp filter (blender-runner/client/seccomp.ts) and its BPF assembler (bpf.ts), run on
 * simulated struct seccomp_data by the assembler's interpreter. The real kernel applies the same
 * bytes in tests/integration/hostile.test.ts ("nested user namespaces ...").
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { assemble, encode, interpret } from "@/blender-runner/client/bpf";
import {
  CLONE_NAMESPACE_FLAGS,
  compileSeccomp,
  DENIED_SYSCALLS,
  ENOSYS,
  EPERM,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  syscallNumber,
  type SeccompArch,
} from "@/blender-runner/client/seccomp";

const ARCH = { x86_64: 0xc000003e, aarch64: 0xc00000b7, i386: 0x40000003 } as const;

function data(nr: number, arch: number, args: number[] = []): Buffer {
  const b = Buffer.alloc(64);
  b.writeInt32LE(nr, 0);
  b.writeUInt32LE(arch >>> 0, 4);
  args.forEach((a, i) => b.writeBigUInt64LE(BigInt(a), 16 + i * 8));
  return b;
}

const ALLOW = SECCOMP_RET_ALLOW;
const DENY = SECCOMP_RET_ERRNO | EPERM;
const NOSYS = SECCOMP_RET_ERRNO | ENOSYS;
// Thread creation as glibc does it: VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID.
const THREAD_FLAGS = 0x3d0f00;
const FORK_FLAGS = 0x01200011; // CHILD_SETTID | CHILD_CLEARTID | SIGCHLD
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWNS = 0x20000;

for (const arch of ["x86_64", "aarch64"] as const satisfies SeccompArch[]) {
  describe(`seccomp filter (${arch})`, () => {
    const { filter, bytes } = compileSeccomp(arch);
    const run = (name: string | number, args: number[] = [], a: number = ARCH[arch]) =>
      interpret(filter, data(typeof name === "number" ? name : syscallNumber(name, arch)!, a, args), "LE");

    it("is a valid program: 8 bytes per instruction, well under BPF_MAXINSNS", () => {
      assert.equal(bytes.length, filter.length * 8);
      assert.ok(filter.length < 200);
    });

    it("refuses every listed syscall with EPERM", () => {
      for (const name of DENIED_SYSCALLS) {
        const nr = syscallNumber(name, arch);
        if (nr === null) continue;
        assert.equal(run(nr), DENY, name);
      }
    });

    it("refuses clone with any namespace flag, allows threads and fork", () => {
      assert.equal(run("clone", [THREAD_FLAGS]), ALLOW);
      assert.equal(run("clone", [FORK_FLAGS]), ALLOW);
      for (const bit of [CLONE_NEWUSER, CLONE_NEWNS, 0x02000000, 0x04000000, 0x08000000, 0x20000000, 0x40000000]) {
        assert.equal(run("clone", [FORK_FLAGS | bit]), DENY, bit.toString(16));
      }
      assert.equal(CLONE_NAMESPACE_FLAGS & THREAD_FLAGS, 0);
    });

    it("answers clone3 with ENOSYS (glibc falls back to clone) and a foreign ABI with ENOSYS", () => {
      assert.equal(run("clone3", [0, 88]), NOSYS);
      assert.equal(run(0, [], ARCH.i386), NOSYS);
      if (arch === "x86_64") assert.equal(run(0x40000000 + 272), NOSYS, "x32 unshare");
    });

    it("allows what Blender does all day (read, write, mmap, openat, futex, ...)", () => {
      const common = arch === "x86_64" ? [0, 1, 9, 257, 202, 3, 5, 60, 231] : [63, 64, 222, 56, 98, 57, 80, 93, 94];
      for (const nr of common) assert.equal(run(nr), ALLOW, String(nr));
    });
  });
}

describe("syscall numbers", () => {
  it("match this machine's kernel headers (x86_64)", (t) => {
    const header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
    if (!existsSync(header)) return t.skip("no x86_64 kernel headers on this machine");
    const text = readFileSync(header, "utf8");
    let checked = 0;
    for (const name of [...DENIED_SYSCALLS, "clone", "clone3"]) {
      const m = new RegExp(`#define __NR_${name}\\s+(\\d+)`).exec(text);
      if (!m) continue; // newer than these headers (e.g. open_tree_attr, listns)
      assert.equal(syscallNumber(name, "x86_64"), Number(m[1]), name);
      checked++;
    }
    assert.ok(checked > 50, `${checked} checked`);
  });

  it("match the generic table used by aarch64", (t) => {
    const header = "/usr/include/asm-generic/unistd.h";
    if (!existsSync(header)) return t.skip("no asm-generic headers on this machine");
    const text = readFileSync(header, "utf8");
    let checked = 0;
    for (const name of [...DENIED_SYSCALLS, "clone", "clone3"]) {
      const m = new RegExp(`#define __NR(?:3264)?_${name}\\s+(\\d+)`).exec(text);
      if (!m) continue;
      assert.equal(syscallNumber(name, "aarch64"), Number(m[1]), name);
      checked++;
    }
    assert.ok(checked > 40, `${checked} checked`);
  });
});

describe("BPF assembler", () => {
  it("resolves forward labels and encodes sock_filter entries", () => {
    const f = assemble([
      { op: "ld", offset: 0 },
      { op: "jeq", k: 7, jt: "yes", jf: null },
      { op: "ret", k: 1 },
      { op: "label", name: "yes" },
      { op: "ret", k: 2 },
    ]);
    assert.deepEqual(f[1], { code: 0x15, jt: 1, jf: 0, k: 7 });
    assert.deepEqual([...encode(f, "LE").subarray(8, 16)], [0x15, 0, 1, 0, 7, 0, 0, 0]);
    assert.equal(interpret(f, data(7, 0), "LE"), 2);
    assert.equal(interpret(f, data(8, 0), "LE"), 1);
  });

  it("refuses unknown labels, backward jumps and jumps over 255 instructions", () => {
    assert.throws(() => assemble([{ op: "jeq", k: 1, jt: "nowhere", jf: null }, { op: "ret", k: 0 }]), /unknown label/);
    assert.throws(() => assemble([{ op: "label", name: "back" }, { op: "ret", k: 0 }, { op: "jeq", k: 1, jt: "back", jf: null }]), /out of range/);
    const far = [{ op: "jeq" as const, k: 1, jt: "end", jf: null }, ...Array.from({ length: 300 }, () => ({ op: "ret" as const, k: 0 })), { op: "label" as const, name: "end" }, { op: "ret" as const, k: 1 }];
    assert.throws(() => assemble(far), /out of range/);
  });
});
