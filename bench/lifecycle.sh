#!/bin/bash
# bench/lifecycle.sh: times a full foreground `run` of one busybox bundle running /bin/true with capsa,
# runc and crun (hyperfine), once as it is and once with Docker's default seccomp profile (~430 names, as
# capsa's engine hands it to the runtime, from moby's default.json), plus `capsa features` (JVM start-up
# without a container), and prints the medians next to runc's. Needs root. RUNS sets the timed runs per
# command (default 20, after 3 warm-ups).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/common.sh"
need crun crun

# crun 1.8 refuses a hybrid cgroup host whose v2 mount holds any controller (typically an unused hugetlb).
# Then run everything in a private mount namespace where that list reads empty, for all three alike.
controllers=/sys/fs/cgroup/unified/cgroup.controllers
if [ -n "$(cat "$controllers" 2>/dev/null)" ] && [ -z "${LIFECYCLE_MASKED:-}" ]; then
  echo "note: hiding the cgroup v2 controllers ($(cat "$controllers")) from all runtimes, for crun" >&2
  exec env LIFECYCLE_MASKED=1 unshare --mount sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' \
    sh "$controllers" "$(readlink -f "$0")" "$@"
fi

# A foreground run deletes its container on exit (checked below), so one id serves every run.
id=capsa-bench-$$
work=$(mktemp -d)
declare -A runtime=([capsa]="$home/bin/capsa-runtime" [runc]=runc [crun]=crun)
engine=("$home/bin/capsa" --data-root "$work/engine" --run-root "$work/engine-run")
cleanup() { # also on ^C: remove whatever an interrupted run left, then the scratch dir
  for rt in "${!runtime[@]}"; do
    [ -d "$work/state-$rt" ] && "${runtime[$rt]}" --root "$work/state-$rt" delete --force "$id" >/dev/null 2>&1
  done
  if [ -d "$work/engine" ]; then
    left=$("${engine[@]}" ps --all --quiet 2>/dev/null)
    [ -z "$left" ] || "${engine[@]}" rm --force $left >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$home/bin/make-busybox-bundle" "$work/bundle" /bin/true
# crun 1.8 rejects any ociVersion but 1.0.x ("unknown version specified"); runc and capsa accept it.
# The seccomp bundle shares the rootfs and has Docker's default profile as an engine hands it to a runtime: the
# linux.seccomp of the config capsa's engine writes for a busybox container (amd64, Docker's default
# capabilities, this kernel); names a runtime's libseccomp does not know it skips.
cid=$("${engine[@]}" run -d --network none busybox sleep 60)
cp "$work/engine/containers/$cid/config.json" "$work/engine-config.json"
"${engine[@]}" rm --force "$cid" >/dev/null
python3 - "$work/bundle" "$work/engine-config.json" <<'PY'
import json, os, sys
bundle, engine = sys.argv[1], json.load(open(sys.argv[2]))
c = json.load(open(bundle + "/config.json"))
c["ociVersion"] = "1.0.2"
json.dump(c, open(bundle + "/config.json", "w"), indent=2)
c["root"]["path"] = bundle + "/rootfs"
c["linux"]["seccomp"] = engine["linux"]["seccomp"]
os.mkdir(bundle + "-seccomp")
json.dump(c, open(bundle + "-seccomp/config.json", "w"), indent=2)
PY

leftovers() { # cgroups named after the container (all three's default) and non-empty state dirs
  find /sys/fs/cgroup -type d -name "$id" 2>/dev/null
  find "$work" -mindepth 2 -maxdepth 2 -path "$work/state-*" 2>/dev/null
}

# Run each runtime twice with the same id: the bundle must be accepted and the id freed on exit.
names=() commands=()
for variant in "" -seccomp; do
  for rt in capsa runc crun; do
    cmd=$(printf '%q ' "${runtime[$rt]}" --root "$work/state-$rt" run --bundle "$work/bundle$variant" "$id")
    err=$(eval "$cmd && $cmd" 2>&1 </dev/null) || { echo "$0: $rt run$variant failed: $err" >&2; exit 1; }
    names+=("$rt run${variant:+ (seccomp)}") commands+=("$cmd")
  done
done
names+=("capsa features") commands+=("$(printf '%q ' "$home/bin/capsa-runtime" features)")
if [ -n "$(leftovers)" ]; then echo "$0: left behind after the trial runs:" >&2; leftovers >&2; exit 1; fi

args=()
for i in "${!names[@]}"; do args+=(--command-name "${names[$i]}" "${commands[$i]}"); done
hyperfine --shell=none --warmup 3 --runs "$runs" --export-json "$work/results.json" "${args[@]}"
if [ -n "$(leftovers)" ]; then echo "$0: left behind by the benchmark:" >&2; leftovers >&2; exit 1; fi

python3 - "$work/results.json" <<'PY'
import json, sys
results = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print(f"\n{'tool':<22}{'median ms':>10}{'x runc':>8}")
for name, ms in results.items():
    runc = results["runc run (seccomp)" if "seccomp" in name else "runc run"]
    print(f"{name:<22}{ms:>10.1f}{ms / runc:>8.1f}")
PY
