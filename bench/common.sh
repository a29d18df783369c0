# Sourced by the bench scripts: $home and $runs, need(), and the checks every script makes first.
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${RUNS:-20}

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null || { echo "$0: $1 not found: apt-get install -y $2" >&2; exit 1; }
}
need hyperfine hyperfine
need runc runc
need busybox busybox-static
need python3 python3
[ -f "$home/target/capsa.jar" ] || { echo "$0: capsa is not built: run bin/mvn package" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "$0: run as root" >&2; exit 1; }
