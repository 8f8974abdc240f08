#!/bin/bash
# One-skill rebuilds of a built site, two versions of Relay interleaved (issue 12).
# Usage: bench/rebuild_ab.sh REPO OUT BEFORE_TREE AFTER_TREE [ROUNDS]
#   REPO, OUT: a generated repository and its built site (bench/scale.py site10k makes both);
#   BEFORE_TREE, AFTER_TREE: source trees of the two versions (`git archive REV | tar -x -C DIR`).
# Per round and version: re-key the manifest for that version (bench/rekey.py), one unmeasured
# rebuild (the catalog pages and search index as that version makes them), then one commit
# appending a line to one skill's SKILL.md and the measured rebuild (wall and CPU seconds, and
# the load average after it).
set -euo pipefail
repo=$1 out=$2 before=$3 after=$4 rounds=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
relay="$here/../.venv/bin/relay" python="$here/../.venv/bin/python"
cd "$repo"
for _ in $(seq 1 "$rounds"); do
  for code in "$before" "$after"; do
    "$python" "$here/rekey.py" "$code" "$repo" "$out"
    PYTHONPATH="$code" "$relay" build --repo . --out "$out" >/dev/null 2>&1
    skill=$(ls skills | sed -n 1p)/SKILL.md  # not head: it exits early, ls gets SIGPIPE, pipefail stops us
    echo "One more line." >> "skills/$skill"
    git commit -q -am "Edit $skill"
    /usr/bin/time -f "$code: %e s wall, %U s user, %S s system" env PYTHONPATH="$code" \
      "$relay" build --repo . --out "$out" 2>&1 | tail -1
    cat /proc/loadavg
  done
done
