#!/bin/bash
# bench/engine.sh: times the engines side by side with hyperfine: `capsa run --rm busybox true` against
# `podman run --rm` (Debian's podman, --runtime runc: its crun 1.8 refuses our hybrid hosts) and `docker run
# --rm` (docker.io) of the same image, all with --network none; then `run -d busybox sleep` followed by
# `rm -f` of that container. Then the memory a detached container costs: the RSS of the process that is its
# init's parent (capsa's monitor, Podman's conmon, Docker's containerd-shim). capsa, Podman and a dockerd
# (which starts its own containerd) run on private roots and sockets in a scratch directory, stopped and
# removed at the end; each imports capsa's target/busybox.oci.tar. Needs root, podman, docker.io, runc,
# conmon, containerd, skopeo and hyperfine. The timed runs (RUNS, default 20, after 3 warm-ups) come in ROUNDS
# (default 5) of hyperfine over all engines, so that a busy spell of the machine weighs on all of them
# alike; the medians are over all rounds.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/common.sh"
need podman podman
need conmon conmon
need dockerd docker.io
need docker docker.io
need containerd containerd
need skopeo skopeo

work=$(mktemp -d)
state=$(mktemp -d -p /run capsa-bench.XXXXXX) # run roots on tmpfs, where the engines keep them by default
image=capsa-bench/busybox:latest
cgroup=capsa-bench-$$ # the containers' (and conmon's) cgroup parent, removed at the end
capsa=("$home/bin/capsa" --data-root "$work/capsa/data" --run-root "$state/capsa")
capsa_() { "${capsa[@]}" "$@"; }
cleanup() { # also on ^C: the engines' containers, dockerd by its pid, then whatever they left mounted
  set +e
  [ -d "$work/capsa" ] && capsa_ rm --force $(capsa_ ps --all --quiet 2>/dev/null) >/dev/null 2>&1
  [ -d "$work/podman" ] && podman_ rm --all --force --time 0 >/dev/null 2>&1
  if [ -f "$work/docker.pid" ]; then
    docker_ rm --force $(docker_ ps --all --quiet 2>/dev/null) >/dev/null 2>&1
    pid=$(cat "$work/docker.pid")
    kill "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  for _ in $(seq 50); do # conmon may outlive its container by a moment
    left=$(find /sys/fs/cgroup -maxdepth 2 -type d -name "$cgroup" 2>/dev/null)
    [ -z "$left" ] && break
    for dir in $left; do find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null; done
    sleep 0.1
  done
  findmnt --list --noheadings --output TARGET | grep -e "^$work/" -e "^$state/" | sort -r | xargs --no-run-if-empty umount --lazy
  rm -rf "$work" "$state"
}
trap cleanup EXIT

# Podman on its own storage (overlay, as it comes), run and tmp dirs and configuration; cgroupfs, as Docker's.
# Podman gives containers RLIMIT_NOFILE and RLIMIT_NPROC of 1048576, which a runtime without CAP_SYS_RESOURCE
# (as in some CI containers) cannot set: they get the hard limits runc has under podman (as bench/engines.sh).
export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
conf() { # conf [DEFAULT-ULIMITS]
  printf '[containers]\ndefault_ulimits = [%s]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' "${1:-}" > "$CONTAINERS_CONF"
}
conf
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' "$work/podman/root" "$state/podman" > "$CONTAINERS_STORAGE_CONF"
podman=(podman --root "$work/podman/root" --runroot "$state/podman" --tmpdir "$state/podman-tmp")
podman_() { "${podman[@]}" "$@"; }
# dockerd with its containerd under its exec root; overlay2 (its default), cgroupfs, no iptables, no bridge.
mkdir -p "$work/docker"
cat > "$work/docker/daemon.json" <<EOF
{"exec-opts": ["native.cgroupdriver=cgroupfs"], "iptables": false, "ip6tables": false, "bridge": "none",
 "storage-driver": "overlay2", "cgroup-parent": "/$cgroup"}
EOF
docker=(docker --host "unix://$work/docker.sock")
docker_() { "${docker[@]}" "$@"; }
dockerd --config-file "$work/docker/daemon.json" --data-root "$work/docker/data" --exec-root "$state/docker" \
  --host "unix://$work/docker.sock" --pidfile "$work/docker.pid" >"$work/dockerd.log" 2>&1 &
for _ in $(seq 100); do docker_ version >/dev/null 2>&1 && break; sleep 0.2; done
docker_ version >/dev/null 2>&1 || { echo "$0: dockerd did not start:" >&2; tail -5 "$work/dockerd.log" >&2; exit 1; }

# One image, capsa's own busybox: a new data root holds it already; the others load the same archive.
loaded() { sed -n 's/^Loaded image\( ID\)\?: *//p' | tail -1; } # what `load` names: a reference or an image id
podman_ tag "$(podman_ load --input "$home/target/busybox.oci.tar" | loaded)" "$image"
printf '#!/bin/bash\necho "$(ulimit -Hn) $(ulimit -Hu)" > %q\nexit 1\n' "$work/limits" > "$work/limits-probe"
chmod +x "$work/limits-probe"
podman_ run --rm --network none --runtime "$work/limits-probe" "$image" true >/dev/null 2>&1 || true
read -r nofile nproc < "$work/limits"
conf "\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\""
# docker.io's load takes Docker's archive format only: skopeo writes the same image in it.
skopeo copy --quiet "oci-archive:$home/target/busybox.oci.tar" "docker-archive:$work/busybox.docker.tar:$image"
docker_ load --input "$work/busybox.docker.tar" >/dev/null
capsa_ images >/dev/null

# --network none for all; capsa's own run takes it once its run flags have it (until then it runs without a network).
capsa_run=(run) podman_run=(run --network none --cgroup-parent "/$cgroup" --runtime runc) docker_run=(run --network none)
capsa_ run --help | grep -q -- --network && capsa_run+=(--network none)
declare -A base=([capsa]="${capsa[*]}" [podman]="${podman[*]}" [docker]="${docker[*]}")
declare -A run=([capsa]="${capsa[*]} ${capsa_run[*]}" [podman]="${podman[*]} ${podman_run[*]}" [docker]="${docker[*]} ${docker_run[*]}")
declare -A image_of=([capsa]=busybox [podman]="$image" [docker]="$image")
engines=(capsa podman docker)

# run -d then rm -f, as one command: a script each (the same sh start-up for all). Docker's and capsa's rm -f
# kill at once, Podman's stops first (SIGTERM, 10 s for a sleep that ignores it) unless told --time 0.
declare -A rm_now=([capsa]="" [podman]="--time 0 " [docker]="")
names=() commands=()
for e in "${engines[@]}"; do
  names+=("$e run --rm") commands+=("${run[$e]} --rm ${image_of[$e]} true")
done
# What a network costs (issue 13): capsa's default network (CNI bridge, host-local, portmap, firewall, tuning)
# attached and detached. Podman's and Docker's private instances here run without their bridges.
names+=("capsa run --rm, bridge") commands+=("${capsa[*]} run --rm busybox true")
for e in "${engines[@]}"; do
  printf '#!/bin/sh\nid=$(%s -d %s sleep 60) && exec %s rm --force %s"$id" >/dev/null\n' \
    "${run[$e]}" "${image_of[$e]}" "${base[$e]}" "${rm_now[$e]}" > "$work/detached-$e"
  chmod +x "$work/detached-$e"
  names+=("$e run -d, rm -f") commands+=("$work/detached-$e")
done
for i in "${!names[@]}"; do # each works, and leaves no container behind
  err=$(${commands[$i]} 2>&1 >/dev/null) || { echo "$0: ${names[$i]} failed: $err" >&2; exit 1; }
done
for e in "${engines[@]}"; do
  left=$(${base[$e]} ps --all --quiet)
  [ -z "$left" ] || { echo "$0: $e left containers behind: $left" >&2; exit 1; }
done

args=()
for i in "${!names[@]}"; do args+=(--command-name "${names[$i]}" "${commands[$i]}"); done
rounds=${ROUNDS:-5}
for round in $(seq "$rounds"); do
  hyperfine --shell=none --warmup "$((round == 1 ? 3 : 0))" --runs "$(((runs + rounds - 1) / rounds))" \
    --export-json "$work/results-$round.json" "${args[@]}"
done

# The memory of a detached container: the RSS of its init's parent, each running `sleep N` with its own N.
declare -A rss
n=3600
for e in "${engines[@]}"; do
  n=$((n + 1))
  ${run[$e]} -d "${image_of[$e]}" sleep "$n" >/dev/null
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
