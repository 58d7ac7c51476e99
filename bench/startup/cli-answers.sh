#!/usr/bin/env bash
# Writes what a septum launcher answers (stdout, stderr, exit code) to every command's --help,
# --version and a set of usage errors, one file per call, into DIR; `diff -r` two such directories
# to compare builds (help and errors must stay byte-identical when the command model is rebuilt).
# Usage: bench/startup/cli-answers.sh LAUNCHER DIR
set -uo pipefail
septum=$1 out=$2
mkdir -p "$out"
commands=(validate ids compile trace check diff reach resolve staged stale expired lab "lab run" "lab up"
  "lab config" "lab down" collect mirror-agent flows-ingest sessions recommend serve)
calls=("" "--help" "--version" "-V" "-h" "comple" "--bogus")
for c in "${commands[@]}"; do calls+=("$c --help"); done
calls+=("compile" "compile examples/seed-lab --bogus" "compile examples/seed-lab --device"
  "compile examples/seed-lab -o xml" "compile examples/seed-lab --platform junos" "compile a b"
  "sessions --limit x" "collect --duration abc" "trace examples/seed-lab" "diff examples/seed-lab"
  "lab" "lab run" "lab bogus" "serve --port x" "recommend --help --bogus" "check --version")
for call in "${calls[@]}"; do
  name=${call// /_}; name=${name//\//_}; name=${name:-none}
  # shellcheck disable=SC2086
  (cd "$(dirname "$0")/../.." && "$septum" $call >"$out/$name.out" 2>"$out/$name.err" </dev/null; echo $? >"$out/$name.rc")
done
