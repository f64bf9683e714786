# Sourced by scripts/run.sh and scripts/test.sh (from the repository root):
#   ensure_venv [EXTRA]
# creates .venv on first use and installs the project (with the optional EXTRA, e.g. "dev")
# only when pyproject.toml, the extra or the Python version changed since the last install
# that succeeded: a stamp in .venv/ holds the hash of those. Delete .venv/.installed-* to force
# a reinstall. On a terminal pip shows its progress; elsewhere (CI) it is quiet.
# The hash a stamp holds: pyproject.toml and the Python version of .venv (the extra is in the
# stamp's name, .venv/.installed-EXTRA).
venv_hash() {
  { cat pyproject.toml; .venv/bin/python -VV; } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
  local extra=${1:-}
  [ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
  local hash
  hash=$(venv_hash)
  local stamp=".venv/.installed-${extra:-base}"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
    return 0
  fi
  local target="."
  [ -n "$extra" ] && target=".[$extra]"
  local quiet=(--quiet)
  if [ -t 1 ]; then
    quiet=(--progress-bar on)
    echo "Installing the dependencies into .venv (first run, or pyproject.toml changed);"
    echo "the first time this downloads about 150 MB (about 200 MB with the test extras:"
    echo "scikit-learn for the speaker ranker's training) and takes a few minutes."
  fi
  .venv/bin/python -m pip install "${quiet[@]}" --upgrade pip
  .venv/bin/python -m pip install "${quiet[@]}" -e "$target"
  echo "$hash" > "$stamp"
  # The dev extra includes the base install.
  [ -n "$extra" ] && echo "$hash" > .venv/.installed-base
  return 0
}
