/**
 * A tiny classic-BPF assembler (and interpreter, for tests) for seccomp filters: exactly the
 * instructions a syscall filter needs (load a 32-bit word of struct seccomp_data, compare, test
 * bits, jump, return). Jumps go forward to named labels; offsets must fit the 8-bit jt/jf fields.
 * Encoding: struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } (linux/filter.h), native endian.
 */
import os from "node:os";

// linux/bpf_common.h
const BPF_LD = 0x00;
const BPF_JMP = 0x05;
const BPF_RET = 0x06;
const BPF_W = 0x00;
const BPF_ABS = 0x20;
const BPF_JA = 0x00;
const BPF_JEQ = 0x10;
const BPF_JGE = 0x30;
const BPF_JSET = 0x40;
const BPF_K = 0x00;

/** Linux refuses longer filters (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;

export type Target = string | null; // a label, or null for "the next instruction"

export type Insn =
  | { op: "label"; name: string }
  /** A = the 32-bit word at byte `offset` of struct seccomp_data. */
  | { op: "ld"; offset: number }
  | { op: "jeq" | "jge" | "jset"; k: number; jt: Target; jf: Target }
  | { op: "ja"; to: string }
  | { op: "ret"; k: number };

export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

const JUMP_CODES = { jeq: BPF_JMP | BPF_JEQ | BPF_K, jge: BPF_JMP | BPF_JGE | BPF_K, jset: BPF_JMP | BPF_JSET | BPF_K } as const;

/** Resolves labels into relative offsets; throws on an unknown label, a backward jump or an offset over 255. */
export function assemble(program: Insn[]): SockFilter[] {
  const labels = new Map<string, number>();
  let pc = 0;
  for (const insn of program) {
    if (insn.op === "label") {
      if (labels.has(insn.name)) throw new Error(`duplicate label ${insn.name}`);
      labels.set(insn.name, pc);
    } else pc++;
  }
  if (pc > BPF_MAXINSNS) throw new Error(`filter has ${pc} instructions (max ${BPF_MAXINSNS})`);
  const out: SockFilter[] = [];
  const offset = (target: Target, at: number, max: number): number => {
    if (target === null) return 0;
    const to = labels.get(target);
    if (to === undefined) throw new Error(`unknown label ${target}`);
    const off = to - (at + 1);
    if (off < 0 || off > max) throw new Error(`jump from ${at} to ${target} (${off}) out of range`);
    return off;
  };
  for (const insn of program) {
    const at = out.length;
    switch (insn.op) {
      case "label":
        break;
      case "ld":
        out.push({ code: BPF_LD | BPF_W | BPF_ABS, jt: 0, jf: 0, k: insn.offset });
        break;
      case "ja":
        out.push({ code: BPF_JMP | BPF_JA, jt: 0, jf: 0, k: offset(insn.to, at, 0xffffffff) });
        break;
      case "ret":
        out.push({ code: BPF_RET | BPF_K, jt: 0, jf: 0, k: insn.k >>> 0 });
        break;
      default:
        out.push({ code: JUMP_CODES[insn.op], jt: offset(insn.jt, at, 255), jf: offset(insn.jf, at, 255), k: insn.k >>> 0 });
    }
  }
  return out;
}

/** The bytes bwrap's `--seccomp FD` expects: the sock_filter array, nothing else. */
export function encode(filter: SockFilter[], endianness: "LE" | "BE" = os.endianness()): Buffer {
  const buf = Buffer.alloc(filter.length * 8);
  filter.forEach((f, i) => {
    const o = i * 8;
    if (endianness === "LE") {
      buf.writeUInt16LE(f.code, o);
      buf.writeUInt32LE(f.k, o + 4);
    } else {
      buf.writeUInt16BE(f.code, o);
      buf.writeUInt32BE(f.k, o + 4);
    }
    buf.writeUInt8(f.jt, o + 2);
    buf.writeUInt8(f.jf, o + 3);
  });
  return buf;
}

/**
 * Runs a filter over a struct seccomp_data given as bytes, like the kernel would; returns the
 * action word. Only the instructions assemble() emits are supported. For tests.
 */
export function interpret(filter: SockFilter[], data: Buffer, endianness: "LE" | "BE" = os.endianness()): number {
  let a = 0;
  for (let pc = 0; pc < filter.length; pc++) {
    const { code, jt, jf, k } = filter[pc]!;
    if (code === (BPF_LD | BPF_W | BPF_ABS)) {
      a = endianness === "LE" ? data.readUInt32LE(k) : data.readUInt32BE(k);
    } else if (code === (BPF_RET | BPF_K)) {
      return k;
    } else if (code === (BPF_JMP | BPF_JA)) {
      pc += k;
    } else {
      const taken = code === JUMP_CODES.jeq ? a === k : code === JUMP_CODES.jge ? a >= k : code === JUMP_CODES.jset ? (a & k) !== 0 : null;
      if (taken === null) throw new Error(`unsupported opcode ${code}`);
      pc += taken ? jt : jf;
    }
  }
  throw new Error("filter fell off its end");
}
