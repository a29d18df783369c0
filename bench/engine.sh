#!/bin/bash
# bench/engine.sh: times the engines side by side with hyperfine: `capsa run --rm busybox true` against
# `podman run --rm` (Debian's podman, --runtime runc: its crun 1.8 refuses our hybrid hosts) and `docker run
# --rm` (docker.io) of the same image, each with --network none and with its default network (a bridge: what
# attaching and detaching a container costs); then `run -d busybox sleep` followed by `rm -f` of that
# container (--network none). Then the memory a detached container costs: the RSS of the process that is its
# init's parent (capsa's monitor, Podman's conmon, Docker's containerd-shim). capsa, Podman and a dockerd
# (which starts its own containerd) run on private roots and sockets in a scratch directory, stopped and
# removed at the end; Podman's and Docker's networks live in a network namespace of the bench's own
# (bench/engines-setup.sh), capsa's default network on the host. Each imports capsa's target/busybox.oci.tar.
# Needs root, podman, netavark, docker.io, runc, conmon, containerd, skopeo and hyperfine. The timed runs
# (RUNS, default 20, after 3 warm-ups) come in ROUNDS (default 5) of hyperfine over all engines, so that a
# busy spell of the machine weighs on all of them alike; the medians are over all rounds; "x capsa" compares
# each with capsa's same row.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/common.sh"
. "$(dirname "$(readlink -f "$0")")/engines-setup.sh"
need skopeo skopeo

image=capsa-bench/busybox:latest
capsa=("$home/bin/capsa" --data-root "$work/capsa/data" --run-root "$state/capsa")
capsa_() { "${capsa[@]}" "$@"; }
cleanup() { # also on ^C: capsa's containers first, then the other engines' and the scratch dirs
  set +e
  [ -d "$work/capsa" ] && capsa_ rm --force $(capsa_ ps --all --quiet 2>/dev/null) >/dev/null 2>&1
  engines_cleanup
}
trap cleanup EXIT
engines_start overlay overlay2 # the engines' default storage drivers

# One image, capsa's own busybox: a new data root holds it already; the others load the same archive.
loaded() { sed -n 's/^Loaded image\( ID\)\?: *//p' | tail -1; } # what `load` names: a reference or an image id
podman_ tag "$(podman_ load --input "$home/target/busybox.oci.tar" | loaded)" "$image"
podman_limits "$image"
# docker.io's load takes Docker's archive format only: skopeo writes the same image in it.
skopeo copy --quiet "oci-archive:$home/target/busybox.oci.tar" "docker-archive:$work/busybox.docker.tar:$image"
docker_ load --input "$work/busybox.docker.tar" >/dev/null
capsa_ images >/dev/null

# Each engine's run, with its default network unless told --network none: capsa's default network (CNI
# bridge, host-local, portmap, firewall, tuning) on the host, Podman's (netavark) and Docker's bridges in the
# bench's namespace.
podman_run=(run --cgroup-parent "/$cgroup" --runtime runc)
declare -A base=([capsa]="${capsa[*]}" [podman]="${podman[*]}" [docker]="${docker[*]}")
declare -A run=([capsa]="${capsa[*]} run" [podman]="${podman[*]} ${podman_run[*]}" [docker]="${docker[*]} run")
declare -A image_of=([capsa]=busybox [podman]="$image" [docker]="$image")
engines=(capsa podman docker)

# What a network costs (issue 13): run --rm without one and with the default one, attached and detached.
declare -A network_flag=([none]="--network none " [bridge]="") # bridge: the engine's default network
names=() commands=()
for network in none bridge; do
  for e in "${engines[@]}"; do
    names+=("$e run --rm, $network") commands+=("${run[$e]} ${network_flag[$network]}--rm ${image_of[$e]} true")
  done
done
# run -d then rm -f, as one command: a script each (the same sh start-up for all). Docker's and capsa's rm -f
# kill at once, Podman's stops first (SIGTERM, 10 s for a sleep that ignores it) unless told --time 0.
declare -A rm_now=([capsa]="" [podman]="--time 0 " [docker]="")
for e in "${engines[@]}"; do
  printf '#!/bin/sh\nid=$(%s --network none -d %s sleep 60) && exec %s rm --force %s"$id" >/dev/null\n' \
    "${run[$e]}" "${image_of[$e]}" "${base[$e]}" "${rm_now[$e]}" > "$work/detached-$e"
  chmod +x "$work/detached-$e"
  names+=("$e run -d, rm -f") commands+=("$work/detached-$e")
done
for i in "${!names[@]}"; do # each works, and leaves no container behind
  err=$(${commands[$i]} 2>&1 >/dev/null) || { echo "$0: ${names[$i]} failed: $err" >&2; exit 1; }
done
for e in "${engines[@]}"; do # the default network is a network: an eth0 with an address
  ${run[$e]} --rm "${image_of[$e]}" ip -4 -o addr show eth0 2>&1 | grep -q inet || { echo "$0: $e run has no eth0" >&2; exit 1; }
done
for e in "${engines[@]}"; do
  left=$(${base[$e]} ps --all --quiet)
  [ -z "$left" ] || { echo "$0: $e left containers behind: $left" >&2; exit 1; }
done

hyperfine_rounds

# The memory of a detached container: the RSS of its init's parent, each running `sleep N` with its own N.
declare -A rss
n=3600
for e in "${engines[@]}"; do
  n=$((n + 1))
  ${run[$e]} --network none -d "${image_of[$e]}" sleep "$n" >/dev/null
  for _ in $(seq 50); do init=$(pgrep -x -f "sleep $n" | head -1) && [ -n "$init" ] && break; sleep 0.1; done
  parent=$(ps -o ppid= -p "$init" | tr -d ' ')
  rss[$e]="$(awk '/^VmRSS/ {print $2}' "/proc/$parent/status") $(tr '\0' ' ' < "/proc/$parent/cmdline" | cut -c1-40)"
done

python3 - "$work" "capsa=${rss[capsa]}" "podman=${rss[podman]}" "docker=${rss[docker]}" <<'PY'
import glob, json, statistics, sys
times = {}
for f in sorted(glob.glob(sys.argv[1] + "/results-*.json")):
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
ms = {name: statistics.median(t) * 1000 for name, t in times.items()}
print(f"\n{'command':<26}{'median ms':>10}{'x capsa':>9}{'min ms':>9}")
for name, m in ms.items():
    capsa = ms["capsa " + name.split(" ", 1)[1]]
    print(f"{name:<26}{m:>10.1f}{m / capsa:>9.1f}{min(times[name]) * 1000:>9.1f}")
print(f"\n{'detached container':<26}{'RSS of the init parent':>24}")
for arg in sys.argv[2:]:
    engine, rest = arg.split("=", 1)
    kb, command = rest.split(" ", 1)
    print(f"{engine:<26}{int(kb) / 1024:>20.1f} MB  ({command.strip()})")
PY
