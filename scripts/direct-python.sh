# Sourced by scripts/test.sh, bench.sh and demo.sh (not run on its own).
# The fake helm/kubectl are python scripts started hundreds of times. Through a pyenv shim every start first runs
# several bash scripts (about ten times the interpreter's own start, and far worse on a busy machine), so the scripts
# put the interpreter the shim resolves to first on PATH: the same python, started directly. The link names the
# interpreter's real file, so sourcing this again (demo.sh under test.sh) finds that file, never the link itself.
if real_python=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null) \
   && [ -x "$real_python" ] && [ "$real_python" != "$PWD/.tools/python-bin/python3" ]; then
  mkdir -p .tools/python-bin
  ln -sfn "$real_python" .tools/python-bin/python3
  case ":$PATH:" in
    *":$PWD/.tools/python-bin:"*) ;;
    *) export PATH="$PWD/.tools/python-bin:$PATH" ;;
  esac
fi
