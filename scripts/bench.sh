#!/usr/bin/env bash
# guichet at national scale: full build time, peak memory, output size, the
# copy floor, one thread against two, and Hugo on an equivalent site.
# Documented in BENCHMARKS.md; not part of the test suite.
#
# usage: scripts/bench.sh [--quick] [--sizes "1000 10000 100000"] [--runs 5]
#                         [--hugo-runs 3] [--thread-max 10000] [--work DIR]
#   --quick       skip 100,000 sites (sizes 1000 10000)
#   --runs        builds per measurement (median reported), default 5
#   --hugo-runs   Hugo builds per size (median), default 3; one at 100,000
#                 sites and more, where a Hugo build takes minutes
#   --thread-max  largest size also measured with one thread, default 10000
#                 (the speed-up is a ratio; 100,000 one-thread runs add ~10 min)
#   --hugo-timeout  seconds before a Hugo build is stopped and reported as
#                 "> N" (default 600; Hugo 0.111 needs over 10 min and 11 GB
#                 for 100,000 sites)
#   --work        scratch folder, default /dev/shm/guichet-bench (inputs and
#                 outputs in memory, so the disk is not what is measured)
# Needs: cargo, hugo (Debian: apt-get install hugo), GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="1000 10000 100000"
runs=5
hugo_runs=3
thread_max=10000
work=/dev/shm/guichet-bench
hugo_timeout=600
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) sizes="1000 10000" ;;
    --sizes) sizes="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --hugo-runs) hugo_runs="$2"; shift ;;
    --thread-max) thread_max="$2"; shift ;;
    --hugo-timeout) hugo_timeout="$2"; shift ;;
    --work) work="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
for tool in hugo /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

cargo build --release --quiet
cargo bench --bench bench_gen --no-run --quiet 2>/dev/null
guichet="$PWD/target/release/guichet"
now="2026-11-23T10:00:00+01:00"   # the synthetic directory's build clock
mkdir -p "$work"
results="$work/results.md"

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
# runs "$@" under GNU time, prints "seconds maxrss_kb"
timed() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" \
  || { cat "$work/stderr.txt" >&2; return 1; }; tail -1 "$work/time.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

guichet_build() { # out threads
  rm -rf "$1"
  RAYON_NUM_THREADS="$2" timed "$guichet" build --root "$dir/guichet" --out "$1" --now "$now"
}

{
  echo "# guichet benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)," \
       "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; $(hugo version | cut -d' ' -f1-2);" \
       "runs $runs (Hugo $hugo_runs, 1 from 100,000 sites); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| sites | guichet s (2 thr) | peak RSS MiB | files | output MB | cp -r s | guichet/floor | 1 thr s | speed-up | Hugo s | Hugo files | guichet/Hugo |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} | tee "$results"

declare -A build_time floor_ratio hugo_ratio_of speedup_of rss_of
for n in $sizes; do
  dir="$work/n$n"
  cargo bench --bench bench_gen --quiet -- "$dir" "$n" >/dev/null 2>&1
  out="$dir/public"
  # The three measurements take turns, run after run, so that the machine's
  # load, which drifts from minute to minute on a shared host, weighs on
  # each alike and their ratios compare like with like.
  times=(); rss=0; copies=(); ones=()
  for _ in $(seq "$runs"); do
    read -r t m < <(guichet_build "$out" 2)
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
    rm -rf "$dir/copy"
    read -r t _ < <(timed cp -r "$out" "$dir/copy")
    copies+=("$t")
    if [ "$n" -le "$thread_max" ]; then
      read -r t _ < <(guichet_build "$dir/public1" 1)
      ones+=("$t")
    fi
  done
  rm -rf "$dir/copy" "$dir/public1"
  g=$(printf '%s\n' "${times[@]}" | median)
  build_time[$n]=$g
  files=$(find "$out" -type f | wc -l)
  bytes=$(find "$out" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1e6}')
  floor=$(printf '%s\n' "${copies[@]}" | median)

  one="-"; speedup="-"
  if [ "${#ones[@]}" -gt 0 ]; then
    one=$(printf '%s\n' "${ones[@]}" | median)
    speedup=$(ratio "$one" "$g")
  fi

  hugos=()
  hr=$hugo_runs; [ "$n" -ge 100000 ] && hr=1
  for _ in $(seq "$hr"); do
    rm -rf "$dir/hugo-public" "$dir/hugo/resources"
    if read -r t _ < <(timed timeout "$hugo_timeout" hugo --quiet --source "$dir/hugo" \
        --destination "$dir/hugo-public"); then
      hugos+=("$t")
    fi
  done
  if [ "${#hugos[@]}" -gt 0 ]; then
    h=$(printf '%s\n' "${hugos[@]}" | median); hugo_ratio=$(ratio "$g" "$h")
  else
    h="> $hugo_timeout"; hugo_ratio="< $(ratio "$g" "$hugo_timeout")"
  fi
  hfiles=$( (find "$dir/hugo-public" -type f 2>/dev/null || true) | wc -l)

  build_time[$n]=$g; floor_ratio[$n]=$(ratio "$g" "$floor"); hugo_ratio_of[$n]=$hugo_ratio
  speedup_of[$n]=$speedup; rss_of[$n]=$((rss / 1024))
  echo "| $n | $g | $((rss / 1024)) | $files | $bytes | $floor | $(ratio "$g" "$floor") | $one | $speedup | $h | $hfiles | $hugo_ratio |" | tee -a "$results"
  # Keep the scratch space small for the next size.
  rm -rf "$dir"
done

# Serve: one notice edited at 10,000 sites, edit-to-reload against a full build.
serve_out=$(GUICHET_BENCH_DIR="$work/serve" cargo bench --bench serve --quiet 2>/dev/null | tee /dev/stderr)
rm -rf "$work/serve"
serve_ratio=$(echo "$serve_out" | awk '/^ratio edit-to-reload/ {print $6}')

{
  echo
  echo '```'
  echo "$serve_out"
  echo '```'
  echo
  first=$(echo "$sizes" | awk '{print $2}'); last=$(echo "$sizes" | awk '{print $3}')
  scale="-"
  if [ -n "$last" ] && [ -n "${build_time[$first]:-}" ] && [ -n "${build_time[$last]:-}" ]; then
    scale=$(ratio "${build_time[$last]}" "${build_time[$first]}")
  fi
  # met? for "value op limit", "-" when not measured in this run
  met() { [ -z "$1" ] || [ "$1" = "-" ] && { echo "not measured"; return; }
          awk -v v="${1#< }" -v l="$3" -v op="$2" 'BEGIN {
            ok = (op == "<=") ? (v <= l) : (op == ">=") ? (v >= l) : (v < l);
            print (ok ? "yes" : "no") }'; }
  echo "| target | limit | this run | met? |"
  echo "|---|---|---|---|"
  echo "| 10,000 sites: guichet time / Hugo time | ≤ 0.33 (3× faster) | ${hugo_ratio_of[10000]:--} | $(met "${hugo_ratio_of[10000]:--}" "<=" 0.3334) |"
  echo "| 10,000 sites: guichet time / copy floor | ≤ 3 | ${floor_ratio[10000]:--} | $(met "${floor_ratio[10000]:--}" "<=" 3) |"
  echo "| 100,000 sites: build time (s) | < 10 | ${build_time[100000]:--} | $(met "${build_time[100000]:--}" "<" 10) |"
  echo "| 100,000 sites: peak RSS (MiB) | < 1024 | ${rss_of[100000]:--} | $(met "${rss_of[100000]:--}" "<" 1024) |"
  echo "| 100,000 / 10,000 time ratio | ≤ 11 | $scale | $(met "$scale" "<=" 11) |"
  echo "| 10,000 sites: 2-thread speed-up | ≥ 1.7 | ${speedup_of[10000]:--} | $(met "${speedup_of[10000]:--}" ">=" 1.7) |"
  echo "| serve: one-notice edit / full build | ≤ 0.05 | ${serve_ratio:--} | $(met "${serve_ratio:--}" "<=" 0.05) |"
  echo
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$results"
echo "results: $results" >&2
