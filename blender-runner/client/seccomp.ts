/**
 * The seccomp filter every sandboxed process runs under (bwrap --seccomp FD): a deny list of the
 * kernel surface Blender never needs, so model code cannot use it even where the kernel would let
 * an unprivileged process try (user namespaces first of all: the root path cannot use bwrap's
 * --disable-userns, which needs --unshare-user, so this filter is what refuses them there).
 *
 * - syscalls of another ABI (i386 on x86_64, and x32's numbering): ENOSYS, as if absent;
 * - clone3: ENOSYS, so glibc falls back to clone(), whose flags a classic-BPF filter can read
 *   (clone3 passes them in a struct in memory, out of a filter's reach);
 * - clone with any namespace flag: EPERM; threads and fork() (no namespace flags) pass;
 * - the DENIED list below: EPERM;
 * - everything else: allowed.
 * Syscall numbers: arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h.
 */
import { assemble, encode, type Insn, type SockFilter } from "./bpf";

export type SeccompArch = "x86_64" | "aarch64";

// linux/audit.h
const AUDIT_ARCH: Record<SeccompArch, number> = { x86_64: 0xc000003e, aarch64: 0xc00000b7 };
// linux/seccomp.h
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const EPERM = 1;
export const ENOSYS = 38;
/** x32 syscalls on x86_64 carry this bit in their number. */
const X32_SYSCALL_BIT = 0x40000000;
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET (linux/sched.h). */
export const CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

/** [x86_64, aarch64] numbers; null where the syscall does not exist on that architecture. */
const DENIED: Record<string, [number | null, number | null]> = {
  // namespaces and mounts: nested sandboxes, user namespaces (and the root they map to)
  unshare: [272, 97],
  setns: [308, 268],
  mount: [165, 40],
  umount2: [166, 39],
  pivot_root: [155, 41],
  chroot: [161, 51],
  open_tree: [428, 428],
  move_mount: [429, 429],
  fsopen: [430, 430],
  fsconfig: [431, 431],
  fsmount: [432, 432],
  fspick: [433, 433],
  mount_setattr: [442, 442],
  statmount: [457, 457],
  listmount: [458, 458],
  open_tree_attr: [467, 467],
  listns: [470, 470],
  // other processes' memory and descriptors
  ptrace: [101, 117],
  process_vm_readv: [310, 270],
  process_vm_writev: [311, 271],
  pidfd_getfd: [438, 438],
  kcmp: [312, 272],
  // kernel attack surface with a history of escapes, unused by Blender
  bpf: [321, 280],
  perf_event_open: [298, 241],
  userfaultfd: [323, 282],
  io_uring_setup: [425, 425],
  io_uring_enter: [426, 426],
  io_uring_register: [427, 427],
  keyctl: [250, 219],
  add_key: [248, 217],
  request_key: [249, 218],
  name_to_handle_at: [303, 264],
  open_by_handle_at: [304, 265],
  fanotify_init: [300, 262],
  // the machine itself: modules, kexec, clocks, swap, accounting, quotas, consoles
  init_module: [175, 105],
  finit_module: [313, 273],
  delete_module: [176, 106],
  kexec_load: [246, 104],
  kexec_file_load: [320, 294],
  reboot: [169, 142],
  swapon: [167, 224],
  swapoff: [168, 225],
  acct: [163, 89],
  quotactl: [179, 60],
  quotactl_fd: [443, 443],
  syslog: [103, 116],
  settimeofday: [164, 170],
  clock_settime: [227, 112],
  clock_adjtime: [305, 266],
  adjtimex: [159, 171],
  sethostname: [170, 161],
  setdomainname: [171, 162],
  vhangup: [153, 58],
  lookup_dcookie: [212, 18],
  nfsservctl: [180, 42],
  uselib: [134, null],
  _sysctl: [156, null],
  iopl: [172, null],
  ioperm: [173, null],
};
const CLONE: Record<SeccompArch, number> = { x86_64: 56, aarch64: 220 };
const CLONE3 = 435;

/** Names of the syscalls refused with EPERM (besides clone with namespace flags). */
export const DENIED_SYSCALLS = Object.keys(DENIED);

export function syscallNumber(name: string, arch: SeccompArch): number | null {
  if (name === "clone") return CLONE[arch];
  if (name === "clone3") return CLONE3;
  const pair = DENIED[name];
  return pair ? pair[arch === "x86_64" ? 0 : 1] : null;
}

export function hostArch(): SeccompArch {
  if (process.arch === "x64") return "x86_64";
  if (process.arch === "arm64") return "aarch64";
  throw new Error(`no seccomp filter for ${process.arch}: only x86_64 and aarch64 are supported`);
}

// struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6].
const OFF_NR = 0;
const OFF_ARCH = 4;
/** The low 32 bits of args[0] on a little-endian machine (clone() truncates its flags to 32 bits). */
const OFF_ARG0_LO = 16;

export function seccompProgram(arch: SeccompArch): Insn[] {
  const p: Insn[] = [
    { op: "ld", offset: OFF_ARCH },
    { op: "jeq", k: AUDIT_ARCH[arch], jt: null, jf: "enosys" },
    { op: "ld", offset: OFF_NR },
  ];
  if (arch === "x86_64") p.push({ op: "jge", k: X32_SYSCALL_BIT, jt: "enosys", jf: null });
  p.push({ op: "jeq", k: CLONE3, jt: "enosys", jf: null });
  p.push({ op: "jeq", k: CLONE[arch], jt: "clone", jf: null });
  for (const name of DENIED_SYSCALLS) {
    const nr = syscallNumber(name, arch);
    if (nr !== null) p.push({ op: "jeq", k: nr, jt: "eperm", jf: null });
  }
  p.push(
    { op: "ret", k: SECCOMP_RET_ALLOW },
    { op: "label", name: "clone" },
    { op: "ld", offset: OFF_ARG0_LO },
    { op: "jset", k: CLONE_NAMESPACE_FLAGS, jt: "eperm", jf: null },
    { op: "ret", k: SECCOMP_RET_ALLOW },
    { op: "label", name: "eperm" },
    { op: "ret", k: SECCOMP_RET_ERRNO | EPERM },
    { op: "label", name: "enosys" },
    { op: "ret", k: SECCOMP_RET_ERRNO | ENOSYS },
  );
  return p;
}

export function compileSeccomp(arch: SeccompArch = hostArch()): { filter: SockFilter[]; bytes: Buffer } {
  const filter = assemble(seccompProgram(arch));
  // Both ABIs are little-endian Linux (OFF_ARG0_LO assumes it too).
  return { filter, bytes: encode(filter, "LE") };
}
