#!/bin/bash
# Pull benchmark (issue 11, "Performance"): a ~150 MB image of five layers, made with umoci from files of Debian
# packages (python3.11, perl, locales, openjdk-17's libraries, tzdata), pushed with skopeo to Debian's docker-registry on
# 127.0.0.1, then pulled and unpacked into an empty store by capsa, by podman (overlay) and by skopeo + umoci,
# side by side with hyperfine; the floor is the disk writing the same bytes (the compressed blobs and the
# unpacked tree) with cp. Every command ends with sync, so that each is measured to the disk (on a busy machine,
# sync also waits for others' writes: NOSYNC=1 leaves it out, measuring into the page cache).
#   bench/pull.sh [RUNS]   (as root; default 5 runs; needs docker-registry, skopeo, umoci, podman, hyperfine)
set -euo pipefail

runs=${1:-5}
home=$(cd "$(dirname "$0")/.." && pwd)
capsa=$home/bin/capsa
work=$(mktemp -d /var/tmp/capsa-bench-pull.XXXXXX)
registry_pid=

cleanup() {
    if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
    podman --root "$work/podman" --runroot "$work/podman-run" --storage-driver overlay system reset -f >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

[ -x "$capsa" ] || { echo "build capsa first: bin/mvn -q -B -DskipTests package" >&2; exit 1; }

echo "== making the image" >&2
layout=$work/layout
umoci init --layout "$layout"
umoci new --image "$layout:bench"
umoci unpack --image "$layout:bench" "$work/bundle" >/dev/null
for dir in /usr/lib/python3.11 /usr/share/perl /usr/share/i18n /usr/lib/jvm/java-17-openjdk-amd64/lib /usr/share/zoneinfo; do
    mkdir -p "$work/bundle/rootfs$(dirname "$dir")"
    cp -a "$dir" "$work/bundle/rootfs$dir"
    rm -f "$work/bundle/rootfs$dir/modules" # the JDK's 128 MB image file: the image is ~150 MB without it
    umoci repack --refresh-bundle --image "$layout:bench" "$work/bundle"
done
tree=$work/bundle/rootfs # what each pull unpacks, for the floor

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

ref=127.0.0.1:$port/bench/image:1
skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$ref"
blobs=$(du -sb "$work/registry/docker/registry/v2/blobs" | cut -f1)
unpacked=$(du -sb "$tree" | cut -f1)
echo "== image: $(umoci stat --image "$layout:bench" --json | python3 -c 'import json,sys; print(sum(1 for h in json.load(sys.stdin)["history"] if not h.get("empty_layer")))') layers, blobs $((blobs / 1000000)) MB, unpacked $((unpacked / 1000000)) MB" >&2

# capsa loads its default image into a data root on first use: a template root that has it already, so that each
# run starts from that state and measures the pull alone (a pull of a missing image opens the store, then fails).
"$capsa" --data-root "$work/capsa-template" --run-root "$work/capsa-run" pull -q "127.0.0.1:$port/none:1" 2>/dev/null || true

sync=" && sync"
[ -z "${NOSYNC:-}" ] || sync=""
podman_flags="--root $work/podman --runroot $work/podman-run --storage-driver overlay"
hyperfine --runs "$runs" --export-json "$work/result.json" \
    -n capsa --prepare "rm -rf $work/capsa && cp -a $work/capsa-template $work/capsa && sync" \
    "$capsa --data-root $work/capsa --run-root $work/capsa-run pull -q $ref$sync" \
    -n podman --prepare "podman $podman_flags system reset -f >/dev/null 2>&1; rm -rf $work/podman $work/podman-run; sync" \
    "podman $podman_flags pull -q --tls-verify=false $ref$sync" \
    -n skopeo+umoci --prepare "rm -rf $work/oci $work/unpacked && sync" \
    "skopeo copy -q --src-tls-verify=false docker://$ref oci:$work/oci:bench && umoci unpack --image $work/oci:bench $work/unpacked >/dev/null$sync" \
    -n floor --prepare "rm -rf $work/floor && mkdir $work/floor && sync" \
    "cp -a $work/registry/docker/registry/v2/blobs $work/floor/blobs && cp -a $tree $work/floor/rootfs$sync"

# CPU time (user + system, hyperfine's means) beside the medians: on a busy machine it moves far less than they do.
python3 - "$work/result.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
results = {r["command"]: r["median"] for r in runs}
cpu = {r["command"]: r["user"] + r["system"] for r in runs}
capsa, floor = results["capsa"], results["floor"]
print("%-14s %10s %14s %14s %10s" % ("", "median s", "/ capsa", "capsa / it", "cpu s"))
for name, median in results.items():
    print("%-14s %10.3f %14.2f %14.2f %10.2f" % (name, median, median / capsa, capsa / median, cpu[name]))
print("capsa is %.2fx the floor (target: within 1.5x)" % (capsa / floor))
PY
