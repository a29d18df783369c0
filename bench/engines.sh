#!/bin/bash
# bench/engines.sh: times `podman run --rm` and `docker run --rm` of a busybox image running `true` with
# capsa and with runc as the OCI runtime (hyperfine), and counts the runtime calls each engine makes per
# container (a wrapper that logs its arguments and execs the runtime). Podman and a dockerd (which starts
# its own containerd) run on private roots and sockets in a scratch directory, stopped and removed at the
# end (bench/engines-setup.sh); the image is Debian's static busybox, imported. Needs root, podman, docker.io,
# runc, conmon, busybox-static and hyperfine. The timed runs (RUNS, default 20, after 3 warm-ups) come in
# ROUNDS (default 5) of hyperfine over all four, so that a busy spell of the machine weighs on all of them
# alike; the medians are over all rounds.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/common.sh"
. "$(dirname "$(readlink -f "$0")")/engines-setup.sh"

capsa=$home/bin/capsa-runtime runc=$(command -v runc)
image=capsa-bench:busybox
trap engines_cleanup EXIT
engines_start vfs vfs "\"runtimes\": {\"capsa\": {\"path\": \"$capsa\"},
 \"capsa-counted\": {\"path\": \"$work/counted/capsa\"}, \"runc-counted\": {\"path\": \"$work/counted/runc\"}}"
podman_run=(run --rm --network none --cgroup-parent "/$cgroup" --runtime) # then the runtime, "localhost/$image" true
docker_run=(run --rm --network none --runtime) # then the runtime's name in daemon.json, "$image" true

# One busybox root filesystem, imported into both.
"$home/bin/make-busybox-bundle" "$work/image" >/dev/null
tar -C "$work/image/rootfs" -c . | podman_ import - "localhost/$image" >/dev/null
podman_limits "localhost/$image"
tar -C "$work/image/rootfs" -c . | docker_ import - "$image" >/dev/null

# Wrappers that log each call's arguments, one line a call, and exec the runtime.
mkdir -p "$work/counted"
for rt in capsa runc; do
  printf '#!/bin/sh\necho "$*" >> %q\nexec %q "$@"\n' "$work/calls-$rt" "${!rt}" > "$work/counted/$rt"
  chmod +x "$work/counted/$rt"
done
verbs() { # the command of each logged call: the first argument that is no global flag or its value
  python3 - "$1" <<'PY'
import sys
for line in open(sys.argv[1]):
    args, skip = line.split(), False
    for a in args:
        if skip: skip = False
        elif a in ("--root", "--log", "--log-format", "--criu"): skip = True
        elif a.startswith("-") and a not in ("--version", "-v"): continue
        else: print(a); break
PY
}
declare -A calls
for engine in podman docker; do
  for rt in capsa runc; do
    : > "$work/calls-$rt"
    case $engine in
      podman) err=$(podman_ "${podman_run[@]}" "$work/counted/$rt" "localhost/$image" true 2>&1) ;;
      docker) err=$(docker_ "${docker_run[@]}" "$rt-counted" "$image" true 2>&1) ;;
    esac || { echo "$0: $engine run with $rt failed: $err" >&2; exit 1; }
    calls[$engine-$rt]=$(verbs "$work/calls-$rt" | paste -sd, -)
  done
done

names=() commands=()
for rt in capsa runc; do
  names+=("podman, $rt") commands+=("$(printf '%q ' "${podman[@]}" "${podman_run[@]}" "${!rt}" "localhost/$image" true)")
done
for rt in capsa runc; do
  names+=("docker, $rt") commands+=("$(printf '%q ' "${docker[@]}" "${docker_run[@]}" "$rt" "$image" true)")
done
hyperfine_rounds

python3 - "$work" "podman, capsa=${calls[podman-capsa]}" "podman, runc=${calls[podman-runc]}" \
  "docker, capsa=${calls[docker-capsa]}" "docker, runc=${calls[docker-runc]}" <<'PY'
import glob, json, statistics, sys
times = {}
for f in sorted(glob.glob(sys.argv[1] + "/results-*.json")):
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
results = {name: statistics.median(t) * 1000 for name, t in times.items()}
calls = dict(a.split("=", 1) for a in sys.argv[2:])
print(f"\n{'engine, runtime':<16}{'median ms':>10}{'x runc':>8}  runtime calls per container")
for name, ms in results.items():
    runc = results[name.split(",")[0] + ", runc"]
    verbs = calls[name].split(",") if calls[name] else []
    print(f"{name:<16}{ms:>10.1f}{ms / runc:>8.2f}  {len(verbs)}: {' '.join(verbs)}")
PY
