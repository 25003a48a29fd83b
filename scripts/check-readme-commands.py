#!/usr/bin/env python3
"""Runs the shell blocks of every README that are marked runnable, from the repository root, as a reader would.

Every ```bash / ```sh block in README.md, frontend/README.md, helm/README.md, tests/*/README.md and docs/*.md must be
preceded (on the line right above its fence) by one of:

  <!-- runnable -->                      run it; it must exit 0 within the timeout
  <!-- runnable: server URL -->          it starts a server: run it, wait until URL answers 2xx, then stop it
                                         (SIGTERM to its process group) and require that it exits
  <!-- not-runnable: REASON -->          not run here, and the reason says why (e.g. needs func or a cluster)

A shell block without a marker fails the check, so every new command is either tested or explained.
Usage: scripts/check-readme-commands.py [--list]   (--list prints the blocks and their marks without running them)
Knobs: README_BLOCK_TIMEOUT (seconds per block, default 900), README_SERVER_TIMEOUT (seconds until a server answers,
default 600; both include a first build under load).
"""
import glob
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHELLS = {"bash", "sh", "shell"}
MARK = re.compile(r"^<!--\s*(runnable|not-runnable)(?::\s*(.*?))?\s*-->\s*$")
BLOCK_TIMEOUT = float(os.environ.get("README_BLOCK_TIMEOUT", "900"))
SERVER_TIMEOUT = float(os.environ.get("README_SERVER_TIMEOUT", "600"))


def readmes():
    patterns = ["README.md", "frontend/README.md", "helm/README.md", "tests/*/README.md", "docs/*.md"]
    seen = []
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            if path not in seen:
                seen.append(path)
    return seen


def blocks(path):
    """Yields (line number, language, mark kind, mark argument, script) for each fenced shell block."""
    lines = open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        language, start = fence.group(1), i
        end = start + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        if language in SHELLS:
            mark = MARK.match(lines[start - 1]) if start > 0 else None
            yield (start + 1, language, mark.group(1) if mark else None, (mark.group(2) or "") if mark else "",
                   "\n".join(lines[start + 1:end]) + "\n")
        i = end + 1


def run_plain(script):
    started = time.time()
    try:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, timeout=BLOCK_TIMEOUT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    except subprocess.TimeoutExpired as e:
        return False, "did not finish within %ds\n%s" % (BLOCK_TIMEOUT, tail(e.output))
    if done.returncode != 0:
        return False, "exited with %d after %.0fs\n%s" % (done.returncode, time.time() - started, tail(done.stdout))
    return True, "exited with 0 after %.0fs" % (time.time() - started)


def run_server(script, url):
    log_path = os.path.join(ROOT, "artifacts", "readme-commands", "server-%d.log" % os.getpid())
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    started = time.time()
    answered = None
    try:
        while time.time() - started < SERVER_TIMEOUT:
            if process.poll() is not None:
                return False, "exited with %d before %s answered\n%s" % (process.returncode, url, tail(read(log_path)))
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if 200 <= response.status < 300:
                        answered = response.status
                        break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        if answered is None:
            return False, "%s did not answer 2xx within %ds\n%s" % (url, SERVER_TIMEOUT, tail(read(log_path)))
    finally:
        stopped = stop(process)
    if not stopped:
        return False, "%s answered %d, but the server did not exit within 60s of SIGTERM (killed)" % (url, answered)
    return True, "%s answered %d after %.0fs; stopped with SIGTERM" % (url, answered, time.time() - started)


def stop(process):
    """SIGTERM to the block's whole process group (bash and what it started); SIGKILL if it is still there after 60s."""
    if process.poll() is not None:
        return True
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    try:
        process.wait(timeout=60)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


def read(path):
    try:
        return open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return ""


def tail(text, lines=30):
    text = (text or "") if isinstance(text, str) else (text or b"").decode("utf-8", "replace")
    return "\n".join("    | " + l for l in text.splitlines()[-lines:])


def main():
    list_only = "--list" in sys.argv[1:]
    failures, checked, skipped = [], 0, 0
    for path in readmes():
        name = os.path.relpath(path, ROOT)
        for line, _, kind, argument, script in blocks(path):
            where = "%s:%d" % (name, line)
            first = script.strip().splitlines()[0] if script.strip() else ""
            if kind is None:
                failures.append(where)
                print("FAIL %s  unmarked shell block (mark it <!-- runnable -->, <!-- runnable: server URL --> or "
                      "<!-- not-runnable: why -->): %s" % (where, first), flush=True)
                continue
            if kind == "not-runnable":
                skipped += 1
                if not argument:
                    failures.append(where)
                    print("FAIL %s  not-runnable without a reason" % where, flush=True)
                else:
                    print("skip %s  %s  (%s)" % (where, first, argument), flush=True)
                continue
            server = re.match(r"^server\s+(\S+)$", argument)
            if argument and not server:
                failures.append(where)
                print("FAIL %s  unknown mark argument '%s'" % (where, argument), flush=True)
                continue
            if list_only:
                checked += 1
                print("run  %s  %s%s" % (where, first, "  (server: %s)" % server.group(1) if server else ""), flush=True)
                continue
            checked += 1
            print("run  %s  %s" % (where, first), flush=True)
            ok, detail = run_server(script, server.group(1)) if server else run_plain(script)
            print("%s %s  %s" % ("ok  " if ok else "FAIL", where, detail), flush=True)
            if not ok:
                failures.append(where)
    print("\nREADME commands: %d %s, %d explained as not runnable, %d failed" % (checked, "to run" if list_only else "run", skipped, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
