#!/usr/bin/env bash
# Side-by-side training step: OsteoNet in DJL (io.osteo.benchmarks.SideBySideStep) and the same
# network in PyTorch (benchmarks/pytorch/osteonet_step.py), interleaved A/B/A/B, same threads, same
# allocator on both sides, same OMP_WAIT_POLICY. Prints per-phase medians and DJL/PyTorch ratios,
# with the machine's load (uptime, /proc/pressure/cpu) before and after. Not part of CI.
#
# Needs: Debian's PyTorch and tcmalloc:  apt-get update && apt-get install -y python3-torch libtcmalloc-minimal4
# Usage: benchmarks/side-by-side.sh [--presets "cpuSmall paper"] [--rounds 3] [--threads 2]
#          [--allocators "tcmalloc glibc"] [--wait-policy inherit|PASSIVE|ACTIVE] [--no-build]
#          [--steps-small 20] [--steps-paper 5] [--optimizer direct|trainer]
# Measure on a quiet machine only: the script warns when the load average is above 0.5.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

presets="cpuSmall paper"
rounds=3
threads=2
allocators="tcmalloc glibc"
wait_policy=inherit
build=1
steps_small=20
steps_paper=5
optimizer=direct
while [[ $# -gt 0 ]]; do
  case "$1" in
    --presets) presets="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --allocators) allocators="$2"; shift 2 ;;
    --wait-policy) wait_policy="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --steps-small) steps_small="$2"; shift 2 ;;
    --steps-paper) steps_paper="$2"; shift 2 ;;
    --optimizer) optimizer="$2"; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "side-by-side: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

python=/usr/bin/python3
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "side-by-side: $python cannot import torch; install it with: apt-get install -y python3-torch" >&2
  exit 1
fi
tcmalloc=""
for lib in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4 \
           /usr/lib64/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4; do
  [[ -f "$lib" ]] && { tcmalloc="$lib"; break; }
done
if [[ " $allocators " == *" tcmalloc "* && -z "$tcmalloc" ]]; then
  echo "side-by-side: libtcmalloc_minimal.so.4 not found; apt-get install -y libtcmalloc-minimal4, or --allocators glibc" >&2
  exit 1
fi

jar="$root/benchmarks/target/benchmarks.jar"
if [[ "$build" == 1 || ! -f "$jar" ]]; then
  echo "# building $jar (-Pbenchmarks)" >&2
  ./mvnw -B -o -q -pl benchmarks -am package -DskipTests -Pbenchmarks >&2
fi

out_dir="$root/benchmarks/target/side-by-side"
mkdir -p "$out_dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$out_dir/$stamp.jsonl"
: > "$results"

load() { echo "# uptime: $(uptime)"; echo "# /proc/pressure/cpu: $(tr '\n' ' ' < /proc/pressure/cpu 2>/dev/null || echo n/a)"; }
echo "# side-by-side $stamp: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
echo "# threads $threads, rounds $rounds, presets [$presets], allocators [$allocators], optimizer $optimizer," \
     "OMP_WAIT_POLICY $([[ "$wait_policy" == inherit ]] && echo "${OMP_WAIT_POLICY:-unset}" || echo "$wait_policy")"
load
load1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$load1" 'BEGIN { exit !(l > 0.5) }'; then
  echo "# WARNING: load average $load1 > 0.5: the machine is not quiet, figures are not comparable to a quiet run"
fi

run_side() { # side preset allocator
  local side="$1" preset="$2" alloc="$3" steps warmup
  if [[ "$preset" == paper ]]; then steps="$steps_paper"; warmup=2; else steps="$steps_small"; warmup=5; fi
  local -a envs=(env)
  if [[ "$alloc" == tcmalloc ]]; then envs+=(LD_PRELOAD="$tcmalloc"); else envs=(env -u LD_PRELOAD); fi
  envs+=(OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads")
  if [[ "$wait_policy" != inherit ]]; then envs+=(OMP_WAIT_POLICY="$wait_policy"); fi
  local line
  if [[ "$side" == djl ]]; then
    line="$("${envs[@]}" java -Xmx2g -cp "$jar" io.osteo.benchmarks.SideBySideStep --preset "$preset" \
            --threads "$threads" --warmup "$warmup" --steps "$steps" --optimizer "$optimizer" --json 2>/dev/null | tail -1)"
  else
    line="$("${envs[@]}" "$python" benchmarks/pytorch/osteonet_step.py --preset "$preset" --threads "$threads" \
            --warmup "$warmup" --steps "$steps" --json | tail -1)"
  fi
  if [[ "$line" != "{"* ]]; then
    echo "side-by-side: the $side run ($preset, $alloc) printed no result; rerun it by hand to see why" >&2
    exit 1
  fi
  echo "{\"allocator\": \"$alloc\", \"result\": $line}" >> "$results"
  echo "#   $side $preset $alloc: $line" >&2
}

for alloc in $allocators; do
  for preset in $presets; do
    for ((r = 1; r <= rounds; r++)); do
      # A/B then B/A so neither side always runs first
      if (( r % 2 )); then run_side djl "$preset" "$alloc"; run_side pytorch "$preset" "$alloc"
      else run_side pytorch "$preset" "$alloc"; run_side djl "$preset" "$alloc"; fi
    done
  done
done
load

"$python" - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in rows:
    res = r["result"]
    groups.setdefault((res["preset"], r["allocator"]), {}).setdefault(res["side"], []).append(res)
print(f"{'preset':9} {'allocator':9} {'phase':9} {'DJL s':>8} {'PyTorch s':>9} {'DJL/PT':>7}   (medians of per-run medians; cpu = process CPU s per step, all threads)")
for (preset, alloc), sides in groups.items():
    djl, pt = sides.get("djl", []), sides.get("pytorch", [])
    if not djl or not pt:
        continue
    pd, pp = {r["parameters"] for r in djl}, {r["parameters"] for r in pt}
    if pd != pp:
        print(f"PARAMETER COUNTS DIFFER for {preset}: DJL {pd} vs PyTorch {pp}")
    for phase in ("forward", "backward", "optimizer", "step", "cpu"):
        a = statistics.median(r[phase + "_s"] for r in djl)
        b = statistics.median(r[phase + "_s"] for r in pt)
        print(f"{preset:9} {alloc:9} {phase:9} {a:8.4f} {b:9.4f} {a / b:7.2f}")
    for key, label in (("minor_faults_per_step", "faults/step"), ("peak_rss_mb", "peak RSS MB")):
        a = statistics.median(r.get(key, float("nan")) for r in djl)
        b = statistics.median(r.get(key, float("nan")) for r in pt)
        print(f"{preset:9} {alloc:9} {label:11} DJL {a:.0f} PyTorch {b:.0f}")
    print(f"{preset:9} {alloc:9} parameters DJL {sorted(pd)} PyTorch {sorted(pp)}; runs {len(djl)}+{len(pt)};"
          f" {djl[0]['version']} threads {djl[0]['threads']}, PyTorch {pt[0]['version']} threads {pt[0]['threads']}")
print(f"raw results: {sys.argv[1]}")
EOF
