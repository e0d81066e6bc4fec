#!/bin/sh
# Container entrypoint of the execution worker: give the runner the same per-job memory + pids
# cgroups it uses on a host (blender-runner/client/cgroup.ts), then start the worker.
#
# Docker mounts the container's cgroup tree read-only. With CAP_SYS_ADMIN (granted to this service
# only, in docker-compose.yml) the mounts are remounted read-write; they still show only this
# container's own subtree (cgroup namespace), so the runner can create per-job children there and
# nothing above. On cgroup v2 a cgroup with processes cannot hand controllers to children, so the
# worker first moves into a leaf ("worker") and the root enables memory + pids for its children.
# Any step that is not permitted is skipped: the runner then falls back to per-process rlimits
# and logs which limits apply (describeCgroups) when it starts.
set -u
CG=${ARENA_CGROUP_ROOT:-/sys/fs/cgroup}

remount_rw() {
  # $1: a cgroup mount point; only act when it is mounted read-only.
  if grep -qs " $1 cgroup[2]* ro[, ]" /proc/self/mounts; then
    mount -o remount,bind,rw "$1" 2>/dev/null || echo "entrypoint: cannot remount $1 read-write (no CAP_SYS_ADMIN?)" >&2
  fi
}

if [ -f "$CG/cgroup.controllers" ]; then
  remount_rw "$CG"
  if [ -w "$CG/cgroup.subtree_control" ] && ! grep -qw memory "$CG/cgroup.subtree_control"; then
    mkdir -p "$CG/worker"
    for pid in $(cat "$CG/cgroup.procs"); do echo "$pid" > "$CG/worker/cgroup.procs" 2>/dev/null || true; done
    echo "+memory +pids" > "$CG/cgroup.subtree_control" 2>/dev/null ||
      echo "entrypoint: could not enable memory + pids for child cgroups" >&2
  fi
else
  for controller in memory pids; do
    [ -d "$CG/$controller" ] && remount_rw "$CG/$controller"
  done
fi

exec "$@"
