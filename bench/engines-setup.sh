# Sourced by the bench scripts that time Podman and Docker (after common.sh): a private Podman and a private
# dockerd (which starts its own containerd), on roots, sockets and configuration in the scratch dirs $work and
# $state, their containers (and conmon) under the cgroup parent $cgroup. Both keep their networks in a network
# namespace of the bench's own, $netns: there dockerd has its default bridge and iptables rules, and Podman's
# netavark its default bridge network (10.88.0.0/16, as capsa's on the host), all of which go with the
# namespace; the host's links, routes and firewall stay untouched. The namespace is entered with nsenter
# (`ip netns exec` would remount /sys, hiding the cgroup hierarchies from the runtimes). Podman runs in it
# (netavark is its child); dockerd does, its client need not.
need podman podman
need conmon conmon
need dockerd docker.io
need docker docker.io
need containerd containerd

work=$(mktemp -d)
state=$(mktemp -d -p /run capsa-bench.XXXXXX) # run roots on tmpfs, where the engines keep them by default
cgroup=capsa-bench-$$
netns=capsa-bench-$$
in_netns=(nsenter "--net=/run/netns/$netns")
ipam=/run/containers/networks/ipam.db # netavark's address book for rootful Podman, host-wide by design
[ -e "$ipam" ] && ipam_was_there=1 || ipam_was_there=

engines_cleanup() { # also on ^C: the engines' containers, dockerd by its pid, then what they left behind
  set +e
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
  [ -e "/run/netns/$netns" ] && ip netns delete "$netns"
  [ -z "$ipam_was_there" ] && rm -f "$ipam"
  rm -rf "$work" "$state"
}

engines_start() { # engines_start PODMAN-STORAGE-DRIVER DOCKER-STORAGE-DRIVER [MORE-DAEMON-JSON]
  ip netns add "$netns"
  "${in_netns[@]}" ip link set lo up
  podman_start "$1"
  dockerd_start "$2" "${3:-}"
}

# Podman on its own storage, run and tmp dirs and configuration (networks included); cgroupfs, as Docker's.
# Podman gives containers RLIMIT_NOFILE and RLIMIT_NPROC of 1048576, which a runtime without CAP_SYS_RESOURCE
# (as in some CI containers) cannot set: podman_limits gives them the hard limits a runtime has under Podman.
podman_start() { # podman_start STORAGE-DRIVER
  export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
  podman_conf
  printf '[storage]\ndriver = "%s"\ngraphroot = "%s"\nrunroot = "%s"\n' "$1" "$work/podman/root" "$state/podman" \
    > "$CONTAINERS_STORAGE_CONF"
  podman=("${in_netns[@]}" podman --root "$work/podman/root" --runroot "$state/podman" --tmpdir "$state/podman-tmp")
}
podman_() { "${podman[@]}" "$@"; }
podman_conf() { # podman_conf [DEFAULT-ULIMITS]
  cat > "$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = [${1:-}]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
network_backend = "netavark"
network_config_dir = "$work/podman/networks"
EOF
}
podman_limits() { # podman_limits IMAGE: asks a runtime that only reports them (runc's nproc can be below ours)
  printf '#!/bin/bash\necho "$(ulimit -Hn) $(ulimit -Hu)" > %q\nexit 1\n' "$work/limits" > "$work/limits-probe"
  chmod +x "$work/limits-probe"
  podman_ run --rm --network none --runtime "$work/limits-probe" "$1" true >/dev/null 2>&1 || true
  read -r nofile nproc < "$work/limits"
  podman_conf "\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\""
}

# dockerd with its containerd under its exec root, cgroupfs, in the bench's network namespace.
dockerd_start() { # dockerd_start STORAGE-DRIVER [MORE-DAEMON-JSON]
  mkdir -p "$work/docker"
  printf '{"exec-opts": ["native.cgroupdriver=cgroupfs"], "storage-driver": "%s", "cgroup-parent": "/%s"%s}\n' \
    "$1" "$cgroup" "${2:+, $2}" > "$work/docker/daemon.json"
  docker=(docker --host "unix://$work/docker.sock")
  "${in_netns[@]}" dockerd --config-file "$work/docker/daemon.json" --data-root "$work/docker/data" \
    --exec-root "$state/docker" --host "unix://$work/docker.sock" --pidfile "$work/docker.pid" >"$work/dockerd.log" 2>&1 &
  for _ in $(seq 100); do docker_ version >/dev/null 2>&1 && break; sleep 0.2; done
  docker_ version >/dev/null 2>&1 || { echo "$0: dockerd did not start:" >&2; tail -5 "$work/dockerd.log" >&2; exit 1; }
}
docker_() { "${docker[@]}" "$@"; }
