#!/bin/bash
# bench/engines.sh: times `podman run --rm` and `docker run --rm` of a busybox image running `true` with
# capsa and with runc as the OCI runtime (hyperfine), and counts the runtime calls each engine makes per
# container (a wrapper that logs its arguments and execs the runtime). Podman and a dockerd (which starts
# its own containerd) run on private roots and sockets in a scratch directory, stopped and removed at the
# end; the image is Debian's static busybox, imported. Needs root, podman, docker.io, runc, conmon,
# busybox-static and hyperfine. The timed runs (RUNS, default 20, after 3 warm-ups) come in ROUNDS
# (default 5) of hyperfine over all four, so that a busy spell of the machine weighs on all of them alike;
# the medians are over all rounds.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/common.sh"
need podman podman
need conmon conmon
need dockerd docker.io
need docker docker.io
need containerd containerd

work=$(mktemp -d)
capsa=$home/bin/capsa-runtime runc=$(command -v runc)
image=capsa-bench:busybox
cgroup=capsa-bench-$$ # the containers' (and conmon's) cgroup parent, removed at the end
cleanup() { # also on ^C: the engines' containers, dockerd by its pid, then whatever they left mounted
  set +e
  [ -d "$work/podman" ] && podman_ rm --all --force >/dev/null 2>&1
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
  findmnt --list --noheadings --output TARGET | grep "^$work/" | sort -r | xargs --no-run-if-empty umount --lazy
  rm -rf "$work"
}
trap cleanup EXIT

# The engines' own state, none of the host's: podman's storage, run and tmp dirs, and its configuration.
# Podman gives containers RLIMIT_NOFILE and RLIMIT_NPROC of 1048576, which a runtime without
# CAP_SYS_RESOURCE (as in some CI containers) cannot set: they get the hard limits the runtime has under
# podman (not ours: its nproc can be lower), asked of a runtime that only reports them.
export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
conf() { # conf [DEFAULT-ULIMITS]
  printf '[containers]\ndefault_ulimits = [%s]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' "${1:-}" > "$CONTAINERS_CONF"
}
conf
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\nrunroot = "%s"\n' "$work/podman/root" "$work/podman/run" > "$CONTAINERS_STORAGE_CONF"
podman=(podman --root "$work/podman/root" --runroot "$work/podman/run" --tmpdir "$work/podman/tmp")
podman_() { "${podman[@]}" "$@"; }
podman_run=(run --rm --network none --cgroup-parent "/$cgroup" --runtime) # then the runtime, "localhost/$image" true
# dockerd with its containerd under its exec root; cgroupfs, no iptables, no bridge.
mkdir -p "$work/docker"
cat > "$work/docker/daemon.json" <<EOF
{"exec-opts": ["native.cgroupdriver=cgroupfs"], "iptables": false, "ip6tables": false, "bridge": "none",
 "storage-driver": "vfs", "cgroup-parent": "/$cgroup", "runtimes": {"capsa": {"path": "$capsa"},
  "capsa-counted": {"path": "$work/counted/capsa"}, "runc-counted": {"path": "$work/counted/runc"}}}
EOF
docker=(docker --host "unix://$work/docker.sock")
docker_() { "${docker[@]}" "$@"; }
docker_run=(run --rm --network none --runtime) # then the runtime's name in daemon.json, "$image" true
dockerd --config-file "$work/docker/daemon.json" --data-root "$work/docker/data" --exec-root "$work/docker/exec" \
  --host "unix://$work/docker.sock" --pidfile "$work/docker.pid" >"$work/dockerd.log" 2>&1 &
for _ in $(seq 100); do docker_ version >/dev/null 2>&1 && break; sleep 0.2; done
docker_ version >/dev/null 2>&1 || { echo "$0: dockerd did not start:" >&2; tail -5 "$work/dockerd.log" >&2; exit 1; }

# One busybox root filesystem, imported into both.
"$home/bin/make-busybox-bundle" "$work/image" >/dev/null
tar -C "$work/image/rootfs" -c . | podman_ import - "localhost/$image" >/dev/null
printf '#!/bin/bash\necho "$(ulimit -Hn) $(ulimit -Hu)" > %q\nexit 1\n' "$work/limits" > "$work/limits-probe"
chmod +x "$work/limits-probe"
podman_ "${podman_run[@]}" "$work/limits-probe" "localhost/$image" true >/dev/null 2>&1 || true
read -r nofile nproc < "$work/limits"
conf "\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\""
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
args=()
for i in "${!names[@]}"; do args+=(--command-name "${names[$i]}" "${commands[$i]}"); done
rounds=${ROUNDS:-5}
for round in $(seq "$rounds"); do
  hyperfine --shell=none --warmup "$((round == 1 ? 3 : 0))" --runs "$(((runs + rounds - 1) / rounds))" \
    --export-json "$work/results-$round.json" "${args[@]}"
done

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
