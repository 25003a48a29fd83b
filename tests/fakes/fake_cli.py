"""What the fake helm and kubectl share: the state folder, the recording of every call, how a run ends, SIGTERM, and
the small parsers both need. See tests/fakes/README.md."""
import json
import os
import re
import sys
import time

STATE = os.environ.get("FAKE_CLI_STATE") or os.path.join(os.environ.get("TMPDIR", "/tmp"), "fake-cli-state")
ARGV = sys.argv[1:]
_tool = "fake"  # set by run(): "helm" or "kubectl", as calls.jsonl names it


def run(tool, main):
    """A launcher's entry point: main() of the named fake, with an end line recorded whatever happens."""
    global _tool
    _tool = tool
    try:
        main()
    except SystemExit:
        raise
    except BaseException as e:  # never leave the recording without an end line
        finish(70, err="fake %s crashed: %r" % (tool, e))


def record(event, **extra):
    line = {"tool": _tool, "event": event, "argv": ARGV, "pid": os.getpid(), "time": time.time()}
    if os.environ.get("TEST_SERVER_INSTANCE"):
        line["caller"] = os.environ["TEST_SERVER_INSTANCE"]  # which of several servers sharing this state ran it
    line.update(extra)
    data = (json.dumps(line) + "\n").encode()
    os.makedirs(STATE, exist_ok=True)
    fd = os.open(os.path.join(STATE, "calls.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)  # one write per line with O_APPEND: parallel processes never interleave
    finally:
        os.close(fd)


def finish(code, out="", err=""):
    if out:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    if err:
        sys.stderr.write(err if err.endswith("\n") else err + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    record("end", exit=code)
    os._exit(code)


class Terminated(Exception):
    pass


def on_sigterm(signum, frame):
    raise Terminated()


def sleep(seconds):
    """In steps of at most 50 ms, so a SIGTERM handler runs promptly."""
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return
        time.sleep(min(left, 0.05))


def parse_duration(text):
    total, matched = 0.0, False
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(h|ms|m|s)", text or ""):
        matched = True
        total += float(amount) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return total if matched else None


def flag(flags, *names, default=None):
    for n in names:
        if n in flags:
            return flags[n][-1]
    return default


def selected(labels, selector):
    """True when the labels match every key=value of a label selector (None: no selector)."""
    if selector is None:
        return True
    for term in selector.split(","):
        key, _, value = term.partition("=")
        if labels.get(key.strip()) != value.lstrip("=").strip():
            return False
    return True
