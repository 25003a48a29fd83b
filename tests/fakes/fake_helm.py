"""Fake `helm` for tests: records every call, keeps realistic per-release state, simulates faults.

See tests/fakes/README.md for the state layout and the behaviour knobs. Single process, no children:
sleeps use time.sleep so SIGTERM stops it promptly (as real helm does, it then marks the release failed).
"""
import _signal as signal  # the C module behind `signal`, which imports enum (~5 ms a launch); same functions
import os
import sys
import time

from fake_cli import ARGV, STATE, Terminated, dumps, finish, flag, loads, on_sigterm, parse_duration, record, selected, sleep, value_after

VERSION = os.environ.get("FAKE_HELM_VERSION", "v3.17.3")
# Where a real helm reports its git SHA, the fake says what it is, so nobody mistakes a demo for a cluster.
GIT_COMMIT = "FAKE: tests/fakes - simulated helm, no cluster"


def major(version):
    """The number that starts "v3.17.3" or "4.1" (3 when none does), read without re (~10 ms a launch)."""
    rest = version[1:] if version.startswith("v") else version
    digits = 0
    while digits < len(rest) and rest[digits].isdecimal():  # isdecimal: what re's \d matches
        digits += 1
    return int(rest[:digits]) if digits else 3


MAJOR = major(VERSION)
STARTED = time.time()


# ---------------------------------------------------------------- state

def now_text():
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000000000+00:00"


def release_path(ns, name):
    return os.path.join(STATE, "releases", ns, name + ".json")


def load_release(ns, name):
    try:
        with open(release_path(ns, name)) as f:
            return loads(f.read())
    except FileNotFoundError:
        return None


def save_release(rel):
    path = release_path(rel["namespace"], rel["name"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".%d.tmp" % os.getpid()
    with open(tmp, "w") as f:
        f.write(dumps(rel, indent=1))
    os.replace(tmp, path)


def delete_release(ns, name):
    try:
        os.remove(release_path(ns, name))
    except FileNotFoundError:
        pass


def namespace_exists(ns):
    return os.path.exists(os.path.join(STATE, "namespaces", ns + ".json"))


def behaviour(release, command):
    """The mode for this command: a per-release behaviour file wins over FAKE_HELM_MODE.

    File lines: [once:][<command>:]<mode>; the first line matching the command applies; a once: line is removed.
    """
    path = os.path.join(STATE, "behaviour", release) if release else None
    if path and os.path.exists(path):
        with open(path) as f:
            lines = [l.strip() for l in f.read().splitlines() if l.strip() and not l.strip().startswith("#")]
        for i, line in enumerate(lines):
            once = line.startswith("once:")
            rest = line[5:] if once else line
            scope, _, mode = rest.partition(":")
            if not mode:
                scope, mode = None, rest
            if scope is not None and scope != command:
                continue
            if once:
                remaining = lines[:i] + lines[i + 1:]
                with open(path, "w") as f:
                    f.write("\n".join(remaining) + ("\n" if remaining else ""))
            return mode
    return os.environ.get("FAKE_HELM_MODE", "ok") or "ok"


def delay_seconds():
    try:
        return float(os.environ.get("FAKE_HELM_DELAY_SECONDS", "0") or 0)
    except ValueError:
        return 0.0


def sleep_forever():
    while True:
        time.sleep(0.05)


# ---------------------------------------------------------------- argument parsing

GLOBAL_VALUE = {"--namespace", "-n", "--kube-context", "--kubeconfig", "--registry-config", "--repository-cache", "--repository-config", "--burst-limit", "--qps", "--kube-apiserver", "--kube-token", "--kube-as-user"}
GLOBAL_BOOL = {"--debug", "--kube-insecure-skip-tls-verify"}

COMMAND_VALUE = {
    "upgrade": {"--labels", "-l", "--timeout", "--values", "-f", "--set", "--set-string", "--set-file", "--set-json", "--version", "--description", "--post-renderer", "--output", "-o", "--history-max"},
    "install": {"--timeout", "--values", "-f", "--set", "--set-string", "--set-file", "--version", "--description", "--output", "-o"},
    "rollback": {"--timeout", "--history-max"},
    "uninstall": {"--timeout", "--cascade", "--description"},
    "status": {"--output", "-o", "--revision"},
    "history": {"--output", "-o", "--max"},
    "list": {"--output", "-o", "--filter", "--max", "--offset", "--selector", "-l"},
    "version": {"--template"},
    "get": {"--output", "-o", "--revision"},
    "template": {"--values", "-f", "--set", "--set-string", "--version", "--output-dir", "--kube-version", "--api-versions", "-a", "--show-only", "-s"},
}
COMMAND_BOOL = {
    "upgrade": {"--install", "-i", "--wait-for-jobs", "--force", "--reset-values", "--reuse-values", "--reset-then-reuse-values", "--cleanup-on-fail", "--dry-run", "--create-namespace", "--skip-crds", "--take-ownership", "--dependency-update"},
    "install": {"--wait-for-jobs", "--create-namespace", "--dry-run", "--generate-name", "--skip-crds", "--dependency-update"},
    "rollback": {"--wait-for-jobs", "--force", "--cleanup-on-fail", "--recreate-pods", "--no-hooks", "--dry-run"},
    "uninstall": {"--ignore-not-found", "--keep-history", "--no-hooks", "--dry-run"},
    "status": {"--show-desc", "--show-resources"},
    "history": set(),
    "list": {"--all", "-a", "--all-namespaces", "-A", "--deployed", "--failed", "--pending", "--uninstalled", "--superseded", "--short", "-q"},
    "version": {"--short", "--client", "-c"},
    "get": {"--all", "-a"},
    "template": {"--include-crds", "--skip-crds", "--skip-tests", "--validate", "--is-upgrade", "--dependency-update"},
}
ROLLBACK_ON_FAILURE = "--rollback-on-failure" if MAJOR >= 4 else "--atomic"
WRONG_ROLLBACK_FLAG = "--atomic" if MAJOR >= 4 else "--rollback-on-failure"
WAIT_COMMANDS = {"upgrade", "install", "rollback", "uninstall"}


def parse(argv):
    """Returns (command, positionals, flags{name: [values]}) or exits like helm on an unknown flag."""
    command = None
    positionals, flags = [], {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-") and arg != "-":
            name, eq, inline = arg.partition("=")
            value_flags = GLOBAL_VALUE | COMMAND_VALUE.get(command, set())
            bool_flags = GLOBAL_BOOL | COMMAND_BOOL.get(command, set())
            if command in WAIT_COMMANDS and name == "--wait":
                value = inline if eq else "true"
                allowed = {"true", "false", "watcher", "legacy", "hookOnly"} if MAJOR >= 4 else {"true", "false"}
                if value not in allowed:
                    finish(1, err='Error: invalid argument "%s" for "--wait" flag: %s' % (
                        value, "invalid wait strategy" if MAJOR >= 4 else 'strconv.ParseBool: parsing "%s": invalid syntax' % value))
                flags.setdefault("--wait", []).append(value)
            elif command in ("upgrade", "install", "rollback") and name in ("--atomic", "--rollback-on-failure"):
                if name == WRONG_ROLLBACK_FLAG:
                    finish(1, err="Error: unknown flag: %s" % name)
                flags.setdefault(name, []).append("true")
            elif name in value_flags:
                if eq:
                    value = inline
                else:
                    i += 1
                    if i >= len(argv):
                        finish(1, err="Error: flag needs an argument: %s" % name)
                    value = argv[i]
                flags.setdefault(name, []).append(value)
            elif name in bool_flags:
                flags.setdefault(name, []).append(inline if eq else "true")
            else:
                finish(1, err="Error: unknown flag: %s" % name)
        elif command is None:
            command = arg
        else:
            positionals.append(arg)
        i += 1
    return command, positionals, flags


# ---------------------------------------------------------------- values files

def parse_values(text):
    """JSON, or YAML-ish key: value lines. Returns the parsed object or raises ValueError."""
    stripped = text.strip()
    if not stripped:
        return {}
    if stripped[0] in "{[":
        return loads(stripped)
    result = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#") or line.strip() == "---":
            continue
        if line.lstrip().startswith("- "):
            continue
        if ":" not in line:
            raise ValueError("error converting YAML to JSON: yaml: line %d: could not find expected ':'" % n)
        if not line.startswith(" "):
            key, _, value = line.partition(":")
            result[key.strip()] = value.strip() or {}
    return result


def read_values_files(release, files):
    contents = []
    for path in files:
        try:
            with open(path) as f:
                text = f.read()
        except FileNotFoundError:
            finish(1, err="Error: open %s: no such file or directory" % path)
        except PermissionError:
            finish(1, err="Error: open %s: permission denied" % path)
        try:
            parse_values(text)
        except ValueError as e:
            finish(1, err="Error: failed to parse %s: %s" % (path, e))
        contents.append(text)
    values_dir = os.path.join(STATE, "values")
    os.makedirs(values_dir, exist_ok=True)
    for index, text in enumerate(contents):
        name = release + (".json" if index == 0 else "-%d.json" % index)
        with open(os.path.join(values_dir, name), "w") as f:
            f.write(text)
    return contents


# ---------------------------------------------------------------- output shapes

def status_json(rel):
    last = rel["revisions"][-1]
    return dumps({
        "name": rel["name"],
        "namespace": rel["namespace"],
        "version": last["revision"],
        "info": {
            "first_deployed": rel["revisions"][0]["updated"],
            "last_deployed": last["updated"],
            "deleted": "",
            "description": last["description"],
            "status": last["status"],
        },
        "chart": {"metadata": {"name": last["chart"].rsplit("-", 1)[0], "version": last["chart"].rsplit("-", 1)[-1]}},
        "config": {},
        "manifest": "",
    })


def history_json(rel, maximum):
    rows = [{
        "revision": r["revision"], "updated": r["updated"], "status": r["status"],
        "chart": r["chart"], "app_version": r.get("app_version", "1.0.0"), "description": r["description"],
    } for r in rel["revisions"]]
    return dumps(rows[-maximum:] if maximum else rows)


def deep_merge(target, source):
    """helm's merge of values files: objects merge key by key, anything else replaces."""
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = value
    return target


def merged_values(contents):
    """The user-supplied values of an install/upgrade: every --values file merged, later wins (as helm stores them)."""
    merged = {}
    for text in contents:
        value = parse_values(text)
        if isinstance(value, dict):
            deep_merge(merged, value)
    return merged


def chart_field(chart_path, key):
    """The value of a line `key: value` of the chart's Chart.yaml (quotes dropped), or None."""
    try:
        with open(os.path.join(chart_path, "Chart.yaml")) as f:
            lines = f.read().split("\n")
    except OSError:
        return None
    for line in lines:
        value = (value_after(line, key + ":") or "").strip("'\"")  # appVersion: "6.7" -> 6.7
        if value:
            return value
    return None


def chart_app_version(chart_path):
    return chart_field(chart_path, "appVersion") or "1.0.0"


def chart_label(chart_path):
    base = os.path.basename(os.path.normpath(chart_path)) or "chart"
    return "%s-%s" % (base, chart_field(chart_path, "version") or "0.1.0")


GARBAGE = "\x1b[31m<<<%%PDF garbled %s output>>>\x1b[0m\nnot: [json\n"


# ---------------------------------------------------------------- commands

def cmd_version(flags):
    template = flag(flags, "--template")
    if template is not None:
        for field, value in (("Version", VERSION), ("GitCommit", GIT_COMMIT), ("GitTreeState", "clean"), ("GoVersion", "go1.24")):
            template = template.replace("{{.%s}}" % field, value).replace("{{ .%s }}" % field, value)
        finish(0, out=template)
    if flag(flags, "--short"):
        finish(0, out=VERSION)
    finish(0, out='version.BuildInfo{Version:"%s", GitCommit:"%s", GitTreeState:"clean", GoVersion:"go1.24"}' % (VERSION, GIT_COMMIT))


def not_found(verb):
    finish(1, err="Error: %srelease: not found" % (verb + ": " if verb else ""))


def cmd_status(positionals, flags, ns):
    if not positionals:
        finish(1, err='Error: "helm status" requires 1 argument')
    name = positionals[0]
    mode = behaviour(name, "status")
    rel = load_release(ns, name)
    if rel is None:
        not_found("")
    if mode == "garbage":
        finish(0, out=GARBAGE % "status")
    if mode == "fail":
        finish(1, err="Error: Kubernetes cluster unreachable: the server has asked for the client to provide credentials")
    if flag(flags, "--output", "-o", default="table") == "json":
        finish(0, out=status_json(rel))
    last = rel["revisions"][-1]
    finish(0, out="NAME: %s\nNAMESPACE: %s\nSTATUS: %s\nREVISION: %d\n" % (name, ns, last["status"], last["revision"]))


def cmd_history(positionals, flags, ns):
    if not positionals:
        finish(1, err='Error: "helm history" requires 1 argument')
    name = positionals[0]
    mode = behaviour(name, "history")
    rel = load_release(ns, name)
    if rel is None:
        not_found("")
    if mode == "garbage":
        finish(0, out=GARBAGE % "history")
    maximum = int(flag(flags, "--max", default="256"))
    if flag(flags, "--output", "-o", default="table") == "json":
        finish(0, out=history_json(rel, maximum))
    lines = ["REVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\tDESCRIPTION"]
    lines += ["%d\t%s\t%s\t%s\t%s\t%s" % (r["revision"], r["updated"], r["status"], r["chart"], r.get("app_version", "1.0.0"), r["description"])
              for r in rel["revisions"]]
    finish(0, out="\n".join(lines))


def cmd_get(positionals, flags, ns):
    """`get values REL [--revision N] [-a] -o json`: the user-supplied values stored with that revision (the latest
    without --revision), as real helm prints them: `null` when there are none, the store's credentials included."""
    if len(positionals) < 2 or positionals[0] != "values":
        finish(1, err='Error: fake helm: only "get values RELEASE" is simulated')
    name = positionals[1]
    mode = behaviour(name, "get")
    rel = load_release(ns, name)
    if rel is None or not rel["revisions"]:
        not_found("")
    if mode == "garbage":
        finish(0, out=GARBAGE % "get values")
    if mode == "fail":
        finish(1, err="Error: Kubernetes cluster unreachable: the server has asked for the client to provide credentials")
    wanted = flag(flags, "--revision")
    if wanted is None:
        rev = rel["revisions"][-1]
    else:
        try:
            number = int(wanted)
        except ValueError:
            finish(1, err='Error: invalid argument "%s" for "--revision" flag: strconv.ParseInt: parsing "%s": invalid syntax' % (wanted, wanted))
        rev = next((r for r in rel["revisions"] if r["revision"] == number), None)
        if rev is None:
            not_found("")
    values = rev.get("values") or None
    if flag(flags, "--output", "-o", default="table") == "json":
        finish(0, out=dumps(values))
    finish(0, out="USER-SUPPLIED VALUES:\n%s" % (dumps(values, indent=2) if values else "null"))


def cmd_list(flags, ns):
    root = os.path.join(STATE, "releases")
    all_ns = flag(flags, "--all-namespaces", "-A") is not None
    selector = flag(flags, "--selector", "-l")
    everything = flag(flags, "--all", "-a") is not None
    maximum = int(flag(flags, "--max", "-m", default="256"))
    rows = []
    if os.path.isdir(root):
        for n in sorted(os.listdir(root)):
            if not all_ns and n != ns:
                continue
            for f in sorted(os.listdir(os.path.join(root, n))):
                if f.endswith(".json"):
                    rel = load_release(n, f[:-5])
                    if rel and rel["revisions"]:
                        last = rel["revisions"][-1]
                        if not selected(rel.get("labels", {}), selector):
                            continue
                        # Like helm: without --all only deployed and failed releases are listed.
                        if not everything and last["status"] not in ("deployed", "failed"):
                            continue
                        rows.append({"name": rel["name"], "namespace": n, "revision": str(last["revision"]), "updated": last["updated"],
                                     "status": last["status"], "chart": last["chart"], "app_version": "1.0.0"})
    finish(0, out=dumps(rows if maximum == 0 else rows[:maximum]))


def supersede(rel):
    for r in rel["revisions"]:
        if r["status"] == "deployed":
            r["status"] = "superseded"


def new_revision(rel, status, chart, description, values=None, app_version="1.0.0"):
    """A new revision; `values` are the user-supplied values stored with it (what `helm get values` prints)."""
    number = (rel["revisions"][-1]["revision"] + 1) if rel["revisions"] else 1
    rev = {"revision": number, "status": status, "chart": chart, "app_version": app_version, "updated": now_text(),
           "description": description, "values": values or {}}
    rel["revisions"].append(rev)
    return rev


POD_ISSUES = {
    "fail": "ImagePullBackOff",
    "fail-imagepull": "ImagePullBackOff",
    "fail-crashloop": "CrashLoopBackOff",
    "fail-unschedulable": "Unschedulable",
    "fail-quota": "QuotaExceeded",
}


def echoed_secret(values):
    """With FAKE_HELM_ECHO_VALUES_ON_FAILURE=1, a failure message quotes the admin password (as a chart's debug output
    might), so tests can prove the runner redacts secrets from what helm prints."""
    if os.environ.get("FAKE_HELM_ECHO_VALUES_ON_FAILURE") != "1" or not values:
        return ""
    try:
        password = loads(values[0]).get("credentials", {}).get("adminPassword")
    except (ValueError, AttributeError):
        return ""
    return " (rendered secret: adminPassword=%s)" % password if password else ""


def wait_for(seconds, timeout, term_handler):
    """Sleeps `seconds` (helm waiting for resources), giving up at helm's own --timeout like real helm."""
    if timeout is not None and seconds > timeout:
        sleep(timeout)
        return False
    sleep(seconds)
    return True


def cmd_upgrade(positionals, flags, ns):
    if "--install" not in flags and "-i" not in flags:
        pass  # plain upgrade: the release must exist (checked below)
    if len(positionals) < 2:
        finish(1, err='Error: "helm upgrade" requires 2 arguments\n\nUsage:  helm upgrade [RELEASE] [CHART] [flags]')
    name, chart_path = positionals[0], positionals[1]
    install = "--install" in flags or "-i" in flags
    atomic = ROLLBACK_ON_FAILURE in flags
    timeout = parse_duration(flag(flags, "--timeout", default="5m0s"))
    values_files = flags.get("--values", []) + flags.get("-f", [])

    if not os.path.isdir(chart_path) and os.environ.get("FAKE_HELM_SKIP_CHART_CHECK") != "1":
        finish(1, err="Error: path \"%s\" not found" % chart_path)
    values = read_values_files(name, values_files)
    if not namespace_exists(ns) and "--create-namespace" not in flags and os.environ.get("FAKE_HELM_SKIP_NAMESPACE_CHECK") != "1":
        finish(1, err='Error: create: failed to create: namespaces "%s" not found' % ns)

    mode = behaviour(name, "upgrade")
    fail_marker = os.path.join(STATE, "behaviour", ".fail-prefix-consumed-" + name)
    if mode == "ok" and name.startswith("fail") and not os.path.exists(fail_marker):
        os.makedirs(os.path.dirname(fail_marker), exist_ok=True)
        open(fail_marker, "w").close()
        mode = "fail"

    rel = load_release(ns, name)
    if rel is None and not install:
        finish(1, err='Error: UPGRADE FAILED: "%s" has no deployed releases' % name)
    if rel is not None and rel["revisions"] and rel["revisions"][-1]["status"].startswith("pending-"):
        finish(1, err="Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress")
    first = rel is None or not rel["revisions"]
    if rel is None:
        rel = {"name": name, "namespace": ns, "revisions": []}
    for given in flags.get("--labels", []) + flags.get("-l", []):
        # Like helm: `--labels k=v[,k=v]` is merged into the release's labels (what `list --selector` filters on).
        for pair in given.split(","):
            key, _, value = pair.partition("=")
            rel.setdefault("labels", {})[key] = value
    verb = "INSTALL" if first else "UPGRADE"
    chart = chart_label(chart_path)
    rev = new_revision(rel, "pending-install" if first else "pending-upgrade", chart, "Initial install underway" if first else "Preparing upgrade",
                       values=merged_values(values), app_version=chart_app_version(chart_path))
    save_release(rel)

    def fail_release(description, pod_issue=None):
        current = load_release(ns, name) or rel
        current["revisions"][-1]["status"] = "failed"
        current["revisions"][-1]["description"] = description
        if pod_issue:
            current["podIssue"] = pod_issue
        if atomic:
            if first:
                delete_release(ns, name)
                return "; the release was uninstalled (%s)" % ROLLBACK_ON_FAILURE
            good = [r for r in current["revisions"][:-1] if r["status"] in ("deployed", "superseded")]
            if good:
                target = good[-1]
                supersede(current)
                new_revision(current, "deployed", target["chart"], "Rollback to %d" % target["revision"],
                             values=target.get("values"), app_version=target.get("app_version", "1.0.0"))
                current.pop("podIssue", None)
                save_release(current)
                return "; rolled back to revision %d (%s)" % (target["revision"], ROLLBACK_ON_FAILURE)
        save_release(current)
        return ""

    try:
        signal.signal(signal.SIGTERM, on_sigterm)
        if mode in ("hang", "hang-hard"):
            if mode == "hang-hard":
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            sleep_forever()
        if mode == "exit137":
            sleep(min(delay_seconds(), 0.5) or 0.1)
            sys.stderr.write("Killed\n")
            sys.stderr.flush()
            record("end", exit=137)
            os._exit(137)  # like the OOM killer: the release stays pending
        if mode == "pending":
            sleep(min(delay_seconds(), 0.5))
            finish(1, err="Error: %s FAILED: interrupted: the release was left %s" % (verb, rev["status"]))
        if not wait_for(delay_seconds(), timeout, None):
            suffix = fail_release("%s failed: context deadline exceeded" % verb.capitalize())
            finish(1, err="Error: %s FAILED: context deadline exceeded%s" % (verb, suffix))
        if mode in POD_ISSUES:
            issue = POD_ISSUES[mode]
            suffix = fail_release("%s failed: resource not ready" % verb.capitalize(), issue)
            finish(1, err="Error: %s FAILED: resource not ready, name: %s, kind: Deployment, status: InProgress: "
                          "pods did not become ready: 0/1 pods ready (%s)%s%s" % (verb, name, issue, suffix, echoed_secret(values)))
        if mode not in ("ok", "garbage"):
            finish(1, err="Error: fake helm: unknown FAKE_HELM_MODE %r" % mode)
        current = load_release(ns, name) or rel
        supersede(current)
        current["revisions"][-1]["status"] = "deployed"
        current["revisions"][-1]["description"] = "Install complete" if first else "Upgrade complete"
        current.pop("podIssue", None)
        save_release(current)
        if mode == "garbage":
            finish(0, out=GARBAGE % "upgrade")
        if flag(flags, "--output", "-o", default="table") == "json":
            finish(0, out=status_json(current))  # like helm: the release it wrote, as `status -o json` prints it
        finish(0, out='Release "%s" has been %s. Happy Helming!\nNAME: %s\nNAMESPACE: %s\nSTATUS: deployed\nREVISION: %d\n' % (
            name, "installed" if first else "upgraded", name, ns, rev["revision"]))
    except Terminated:
        sys.stdout.write('Release %s has been cancelled.\n' % name)
        suffix = fail_release("%s failed: context canceled" % verb.capitalize())
        finish(1, err="Error: %s FAILED: context canceled%s" % (verb, suffix))


def cmd_rollback(positionals, flags, ns):
    if not positionals:
        finish(1, err='Error: "helm rollback" requires at least 1 argument')
    name = positionals[0]
    rel = load_release(ns, name)
    if rel is None:
        not_found("")
    current = rel["revisions"][-1]
    target_number = int(positionals[1]) if len(positionals) > 1 and positionals[1] != "0" else current["revision"] - 1
    target = next((r for r in rel["revisions"] if r["revision"] == target_number), None)
    if target is None:
        finish(1, err="Error: release has no %d version" % target_number)
    if current["status"].startswith("pending-") and os.environ.get("FAKE_HELM_ROLLBACK_PENDING") == "refuse":
        finish(1, err="Error: another operation (install/upgrade/rollback) is in progress")
    mode = behaviour(name, "rollback")
    timeout = parse_duration(flag(flags, "--timeout", default="5m0s"))
    if current["status"].startswith("pending-"):
        current["status"] = "failed"
    rev = new_revision(rel, "pending-rollback", target["chart"], "Rollback to %d" % target_number,
                       values=target.get("values"), app_version=target.get("app_version", "1.0.0"))
    save_release(rel)

    def fail_release(description):
        latest = load_release(ns, name) or rel
        latest["revisions"][-1]["status"] = "failed"
        latest["revisions"][-1]["description"] = description
        save_release(latest)

    try:
        signal.signal(signal.SIGTERM, on_sigterm)
        if mode in ("hang", "hang-hard"):
            if mode == "hang-hard":
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            sleep_forever()
        if mode == "exit137":
            sleep(0.1)
            record("end", exit=137)
            os._exit(137)
        if mode == "pending":
            finish(1, err="Error: ROLLBACK FAILED: interrupted: the release was left pending-rollback")
        if not wait_for(delay_seconds(), timeout, None):
            fail_release("Rollback failed: context deadline exceeded")
            finish(1, err="Error: context deadline exceeded")
        if mode in POD_ISSUES:
            fail_release("Rollback failed: resource not ready")
            finish(1, err="Error: resource not ready, name: %s, kind: Deployment, status: InProgress" % name)
        latest = load_release(ns, name) or rel
        supersede(latest)
        latest["revisions"][-1]["status"] = "deployed"
        latest.pop("podIssue", None)
        save_release(latest)
        finish(0, out="Rollback was a success! Happy Helming!")
    except Terminated:
        fail_release("Rollback failed: context canceled")
        finish(1, err="Error: context canceled")


def read_values_quietly(files):
    """The values files merged (top-level keys, later wins), without recording them like an install does."""
    merged = {}
    for path in files:
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            finish(1, err="Error: open %s: no such file or directory" % path)
        try:
            value = parse_values(text)
        except ValueError as e:
            finish(1, err="Error: failed to parse %s: %s" % (path, e))
        if isinstance(value, dict):
            merged.update(value)
    return merged


def doc(kind, name, ns=None, labels=None, api="v1", body=""):
    lines = ["---", "apiVersion: %s" % api, "kind: %s" % kind, "metadata:", "  name: %s" % name]
    if ns:
        lines.append("  namespace: %s" % ns)
    if labels:
        lines.append("  labels:")
        lines += ["    %s: %s" % (k, dumps(str(v))) for k, v in labels.items()]
    return "\n".join(lines) + ("\n" + body if body else "")


def cmd_template(positionals, flags, ns):
    """Offline render. helm/store-namespace: the platform objects for the store in the values; a store chart: its
    workload objects without a namespace. behaviour/<release> `template:<mode>` adds what a hostile render would."""
    if len(positionals) < 2:
        finish(1, err='Error: "helm template" requires at least 1 argument')
    name, chart_path = positionals[0], positionals[1]
    if not os.path.isdir(chart_path) and os.environ.get("FAKE_HELM_SKIP_CHART_CHECK") != "1":
        finish(1, err="Error: path \"%s\" not found" % chart_path)
    files = flags.get("--values", []) + flags.get("-f", [])
    values = read_values_quietly(files)
    mode = behaviour(name, "template")
    if mode == "fail":
        finish(1, err="Error: values don't meet the specifications of the schema(s) in the following chart(s)")
    chart = os.path.basename(os.path.normpath(chart_path))
    docs = []
    if chart == "store-namespace":
        store = values.get("store") or {}
        if ns != "store-%s" % store.get("name"):
            finish(1, err="Error: render with --namespace store-%s: got %s" % (store.get("name"), ns))
        plan = next((os.path.splitext(os.path.basename(f))[0] for f in files if os.path.basename(os.path.dirname(f)) == "plans"), "custom")
        common = {"app.kubernetes.io/managed-by": "store-provisioning", "store-provisioning.io/store": store.get("name"),
                  "store-provisioning.io/store-id": store.get("id")}
        ns_labels = dict(common)
        ns_labels.update({"store-provisioning.io/engine": store.get("engine"), "store-provisioning.io/plan": plan})
        version = (values.get("podSecurity") or {}).get("version", "v1.31")
        for level in ("enforce", "audit", "warn"):
            ns_labels["pod-security.kubernetes.io/" + level] = "restricted"
            ns_labels["pod-security.kubernetes.io/%s-version" % level] = version
        docs.append(doc("Namespace", ns, labels=ns_labels))
        docs.append(doc("ResourceQuota", "store-quota", ns, common))
        docs.append(doc("LimitRange", "store-limits", ns, common))
        network = values.get("networkPolicy") or {}
        if network.get("enabled", True) is not False:
            for policy in ("store-default-deny", "store-allow-dns", "store-internet-egress"):
                docs.append(doc("NetworkPolicy", policy, ns, common, api="networking.k8s.io/v1"))
        access = values.get("controlPlaneAccess") or {}
        if access.get("clusterRole"):
            # Last, as helm sorts a RoleBinding after quota, limits and policies.
            docs.append(doc("RoleBinding", "store-provisioning", ns, common, api="rbac.authorization.k8s.io/v1",
                            body="roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}\n"
                                 "subjects: [{kind: ServiceAccount, name: %s, namespace: %s}]"
                                 % (access["clusterRole"], access.get("serviceAccount"), access.get("serviceAccountNamespace"))))
    else:
        labels = {"app.kubernetes.io/instance": name, "app.kubernetes.io/name": chart}
        docs.append(doc("Secret", name + "-credentials", labels=labels))
        docs.append(doc("Service", name, labels=labels))
        docs.append(doc("Deployment", name, labels=labels, api="apps/v1"))
        docs.append(doc("StatefulSet", name + "-db", labels=labels, api="apps/v1"))
        if mode == "clusterrolebinding":
            docs.append(doc("ClusterRoleBinding", name + "-admin", api="rbac.authorization.k8s.io/v1",
                            body="roleRef: {kind: ClusterRole, name: cluster-admin}"))
        elif mode == "foreign-namespace":
            docs.append(doc("ConfigMap", name + "-elsewhere", "kube-system", labels))
        elif mode == "unknown-kind":
            docs.append(doc("ServiceAccount", name + "-sa", labels=labels))
    finish(0, out="\n".join(docs))


def cmd_uninstall(positionals, flags, ns):
    if not positionals:
        finish(1, err='Error: "helm uninstall" requires at least 1 argument')
    name = positionals[0]
    mode = behaviour(name, "uninstall")
    rel = load_release(ns, name)
    try:
        signal.signal(signal.SIGTERM, on_sigterm)
        if mode in ("hang", "hang-hard"):
            if mode == "hang-hard":
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            sleep_forever()
        if mode in POD_ISSUES or mode == "exit137":
            finish(137 if mode == "exit137" else 1,
                   err="Error: failed to delete release: %s: Kubernetes cluster unreachable: context deadline exceeded" % name)
    except Terminated:
        finish(1, err="Error: uninstallation completed with 1 error(s): context canceled")
    if rel is None:
        if "--ignore-not-found" in flags:
            finish(0, out='release "%s" not found, ignoring' % name)
        finish(1, err="Error: uninstall: Release not loaded: %s: release: not found" % name)
    sleep(min(delay_seconds(), 1.0))
    delete_release(ns, name)
    finish(0, out='release "%s" uninstalled' % name)


def main():
    record("start")
    command, positionals, flags = parse(ARGV)
    ns = flag(flags, "--namespace", "-n", default=os.environ.get("HELM_NAMESPACE", "default"))
    if command is None:
        finish(0, out="The Kubernetes package manager (fake)")
    if command == "version":
        cmd_version(flags)
    if command == "status":
        cmd_status(positionals, flags, ns)
    if command == "history":
        cmd_history(positionals, flags, ns)
    if command == "get":
        cmd_get(positionals, flags, ns)
    if command in ("list", "ls"):
        cmd_list(flags, ns)
    if command == "upgrade":
        cmd_upgrade(positionals, flags, ns)
    if command == "install":
        flags["--install"] = ["true"]
        cmd_upgrade(positionals, flags, ns)
    if command == "rollback":
        cmd_rollback(positionals, flags, ns)
    if command == "template":
        cmd_template(positionals, flags, ns)
    if command in ("uninstall", "delete", "un", "del"):
        cmd_uninstall(positionals, flags, ns)
    finish(1, err='Error: unknown command "%s" for "helm"' % command)


