# Sourced by scripts/test.sh, bench.sh and demo.sh (not run on its own).
# The fake helm/kubectl are python scripts started hundreds of times. Through a pyenv shim every start first runs
# several bash scripts (about ten times the interpreter's own start, and far worse on a busy machine), so the scripts
# put the interpreter the shim resolves to first on PATH: the same python, started directly.
if real_python=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -x "$real_python" ]; then
  mkdir -p .tools/python-bin
  ln -sf "$real_python" .tools/python-bin/python3
  export PATH="$PWD/.tools/python-bin:$PATH"
fi
