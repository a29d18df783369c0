# Sourced by the bench scripts: $home and $runs, need(), hyperfine_rounds(), and the checks every script makes first.
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

# Times the commands the caller listed in names[] and commands[] with hyperfine, in ROUNDS (default 5) interleaved
# rounds of $runs/ROUNDS runs each (3 warm-ups before the first), so that a busy spell of the machine weighs on all
# of them alike; each round's results go to $work/results-ROUND.json.
hyperfine_rounds() {
  local args=() i round rounds=${ROUNDS:-5}
  for i in "${!names[@]}"; do args+=(--command-name "${names[$i]}" "${commands[$i]}"); done
  for round in $(seq "$rounds"); do
    hyperfine --shell=none --warmup "$((round == 1 ? 3 : 0))" --runs "$(((runs + rounds - 1) / rounds))" \
      --export-json "$work/results-$round.json" "${args[@]}"
  done
}
