"""What the fake helm and kubectl share: the state folder, the recording of every call, how a run ends, SIGTERM, and
the small parsers both need. See tests/fakes/README.md.

Every store install launches the fakes several times one after another, so a launch should cost little more than the
interpreter's own start: the fakes import no module that pulls in `re` or `enum` (`json`, `signal`, `shutil` and `re`
each add ~5-15 ms) on the paths an install takes. JSON goes through dumps/loads below, on json's own C accelerator.
"""
import os
import sys
import time

try:
    import _json  # json's C accelerator: what json.dumps/loads run on, without importing json (and re, enum)
except ImportError:
    _json = None

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
    data = (dumps(line) + "\n").encode()
    path = os.path.join(STATE, "calls.jsonl")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except FileNotFoundError:  # the state folder does not exist yet
        os.makedirs(STATE, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
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


UNITS = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}


def parse_duration(text):
    """Seconds in a duration such as "600s" or "5m0s" (every number+unit in the text), or None when there is none."""
    if not text:
        return None
    plain = plain_duration(text)
    if plain is not None:
        return plain
    import re  # only for what plain_duration does not read (decimals, stray text): rare, and re costs ~10 ms
    total, matched = 0.0, False
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(h|ms|m|s)", text):
        matched = True
        total += float(amount) * UNITS[unit]
    return total if matched else None


def plain_duration(text):
    """What the regex above finds in a text made only of ASCII-digits+unit pairs ("600s", "5m0s"); None for any other."""
    total, i = 0.0, 0
    while i < len(text):
        start = i
        while i < len(text) and text[i] in "0123456789":
            i += 1
        unit = next((u for u in ("h", "ms", "m", "s") if text.startswith(u, i)), None)  # the regex's order
        if i == start or unit is None:
            return None
        total += float(text[start:i]) * UNITS[unit]
        i += len(unit)
    return total


def value_after(line, prefix):
    r"""The first word after `prefix` when the line starts with it (the regex ^prefix\s*(\S+), without re), else None."""
    if not line.startswith(prefix):
        return None
    words = line[len(prefix):].split(None, 1)
    return words[0] if words else None


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


# ---------------------------------------------------------------- JSON
# json.dumps/json.loads, byte for byte, for the fakes' own data (str keys; strings, numbers, bools, None, lists, dicts),
# run on the C accelerator `_json` that json itself uses: importing json costs ~13 ms a launch (json imports re).
# Anything unusual (no _json, an error) is handed to json itself, which then gives its exact result or error.

def dumps(obj, indent=None):
    """json.dumps(obj) or json.dumps(obj, indent=N)."""
    if _json is not None:
        try:
            return _dumps_pretty(obj, " " * indent, 0) if indent is not None else _dumps_compact(obj)
        except Exception:  # noqa: BLE001 - json repeats it and raises its own error
            pass
    import json
    return json.dumps(obj, indent=indent)


def _dumps_compact(obj):
    # The arguments json.dumps passes with its defaults (a fresh circular-reference memo, ensure_ascii, ", " and ": ").
    encode = _json.make_encoder({}, _not_serializable, _json.encode_basestring_ascii, None, ": ", ", ", False, False, True)
    return "".join(encode(obj, 0))


def _not_serializable(obj):
    raise TypeError(type(obj).__name__)  # json.dumps then raises its own message


def _dumps_pretty(obj, pad, depth):
    # The C encoder cannot indent (before python 3.14): the nesting is laid out here as json's python encoder does
    # (",\n" between items, ": " after keys), every scalar and empty container is encoded by the C encoder.
    inner = "\n" + pad * (depth + 1)
    if isinstance(obj, dict) and obj:
        items = (_json.encode_basestring_ascii(k) + ": " + _dumps_pretty(v, pad, depth + 1) for k, v in obj.items())
    elif isinstance(obj, (list, tuple)) and obj:
        items = (_dumps_pretty(v, pad, depth + 1) for v in obj)
    else:
        return _dumps_compact(obj)
    opening, closing = ("{", "}") if isinstance(obj, dict) else ("[", "]")
    return opening + inner + ("," + inner).join(items) + "\n" + pad * depth + closing


class _Decoding:
    """The settings json.loads gives its C scanner: strict, no hooks, float/int, NaN and ±Infinity as json reads them."""
    strict = True
    object_hook = object_pairs_hook = None
    parse_float, parse_int = float, int
    parse_constant = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}.__getitem__


_scan = _json.make_scanner(_Decoding()) if _json is not None else None


def loads(text):
    """json.loads(text) for a str."""
    if _scan is not None and isinstance(text, str):
        document = text.strip(" \t\n\r")  # the whitespace json allows around the value
        try:
            value, end = _scan(document, 0)
            if end == len(document):
                return value
        except Exception:  # noqa: BLE001 - json repeats it and raises its own error (JSONDecodeError, a ValueError)
            pass
    import json
    return json.loads(text)
