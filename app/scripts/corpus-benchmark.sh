#!/usr/bin/env bash
# Measures nmt on large corpora: Multi30k's training split (de-en) repeated to each size, prepared
# with `nmt prepare`, then trained for a fixed number of updates with configs/multi30k-transformer.json.
# Prints, per size: preparation time and pairs/s, prepared size on disk, peak RSS of prepare and of
# train, and when train did its first update. Multi30k itself is the baseline row.
#
#   app/scripts/corpus-benchmark.sh [PAIRS ...]      (default: 1000000 5000000 20000000)
#
# Environment: WORK (scratch folder, default /tmp/nmt-corpus-benchmark; 20 M pairs need about 6 GB),
# MULTI30K (default ../shared/corpora/multi30k), UPDATES (default 200), JAVA_OPTS (e.g. -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/app/target/nmt.jar"
config="$root/configs/multi30k-transformer.json"
multi30k="${MULTI30K:-$root/../shared/corpora/multi30k}"
work="${WORK:-/tmp/nmt-corpus-benchmark}"
updates="${UPDATES:-200}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 5000000 20000000)
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
[ -f "$multi30k/train.de" ] || { echo "Multi30k not found in $multi30k (set MULTI30K)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
mkdir -p "$work"
head -n 100 "$multi30k/val.de" > "$work/dev.de"
head -n 100 "$multi30k/val.en" > "$work/dev.en"

# run LABEL COMMAND...: runs under GNU time; sets seconds and rss_mb.
run() {
  local label=$1
  shift
  if ! /usr/bin/time -v -o "$work/$label.time" "$@" > "$work/$label.out" 2> "$work/$label.log"; then
    echo "$label failed; see $work/$label.log" >&2
    tail -n 3 "$work/$label.log" >&2
    exit 1
  fi
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/$label.time")
  rss_mb=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$work/$label.time")
}

# corpus NAME PREFIX: prepares and trains on PREFIX.de / PREFIX.en and prints one row.
corpus() {
  local name=$1 prefix=$2
  local prepared="$work/$name.prepared"
  rm -rf "$prepared" "$work/$name.model"
  local pairs
  pairs=$(wc -l < "$prefix.de")
  # shellcheck disable=SC2086
  run "$name.prepare" java ${JAVA_OPTS:-} -jar "$jar" prepare "$config" --set "data.train=$prefix" \
      --output "$prepared"
  local prepare_s=$seconds prepare_rss=$rss_mb
  local disk_mb
  disk_mb=$(du -sm "$prepared" | cut -f1)
  # shellcheck disable=SC2086
  run "$name.train" java ${JAVA_OPTS:-} -jar "$jar" train "$config" --output-dir "$work/$name.model" \
      --set "data.train=$prefix" --set "data.prepared=$prepared" --set "data.dev=$work/dev" --set data.test=null \
      --set "training.max_updates=$updates" --set training.validation_freq=1000000 --set training.log_freq=50 \
      --set decoding.beam_size=1 --set decoding.max_output_length=10
  local first
  first=$(grep -o 'first update done [0-9.]* s' "$work/$name.train.log" | awk '{print $4}')
  printf '| %s | %s | %.0f | %s | %s | %s | %s | %s |\n' "$name" "$pairs" "$prepare_s" \
      "$(awk -v p="$pairs" -v s="$prepare_s" 'BEGIN {printf "%d", p / s}')" "$disk_mb" "$prepare_rss" "$first" "$rss_mb"
  rm -rf "$work/$name.model"
}

echo "| corpus | pairs | prepare s | pairs/s | prepared MB | prepare peak RSS MB | first update s | train peak RSS MB ($updates updates) |"
echo "|---|---|---|---|---|---|---|---|"
corpus multi30k "$multi30k/train"
for n in "${sizes[@]}"; do
  prefix="$work/repeated-$n"
  if [ ! -f "$prefix.de" ] || [ "$(wc -l < "$prefix.de")" -ne "$n" ]; then
    for lang in de en; do
      reps=$(( (n + 28999) / 29000 ))
      for ((i = 0; i < reps; i++)); do cat "$multi30k/train.$lang"; done | head -n "$n" > "$prefix.$lang" || true
    done
  fi
  corpus "repeated-$n" "$prefix"
  rm -rf "$work/repeated-$n.prepared"
done
