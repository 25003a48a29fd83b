"""Fake `kubectl` for tests: records every call, keeps namespaces, derives pods/events from the fake helm's releases.

See tests/fakes/README.md. Single process, no children: sleeps use time.sleep so SIGTERM stops it promptly.
"""
import _signal as signal  # the C module behind `signal`, which imports enum (~5 ms a launch); same functions
import os
import sys
import time

from fake_cli import ARGV, STATE, Terminated, dumps, finish, flag, loads, on_sigterm, parse_duration, record, selected, sleep, value_after

CLIENT_VERSION = os.environ.get("FAKE_KUBECTL_VERSION", "v1.35.2")
SERVER_VERSION = os.environ.get("FAKE_KUBECTL_SERVER_VERSION", "v1.35.0+k3s1")
# Where a real kubectl reports its git SHA, the fake says what it is, so nobody mistakes a demo for a cluster.
GIT_COMMIT = "FAKE: tests/fakes - simulated kubectl, no cluster"


# ---------------------------------------------------------------- arguments

VALUE = {"--namespace", "-n", "--output", "-o", "--filename", "-f", "--kubeconfig", "--context", "--request-timeout", "--timeout",
         "--selector", "-l", "--field-selector", "--cluster", "--user", "--grace-period", "--cascade", "--field-manager", "--server-side"}
BOOL = {"--ignore-not-found", "--wait", "--all-namespaces", "-A", "--client", "--force", "--now", "--dry-run", "--show-labels", "--watch", "-w", "--server-side", "--validate", "--force-conflicts"}


def parse(argv):
    words, flags = [], {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-") and arg != "-":
            name, eq, inline = arg.partition("=")
            if name in VALUE and name not in BOOL:
                if eq:
                    value = inline
                else:
                    i += 1
                    if i >= len(argv):
                        finish(1, err="error: flag needs an argument: %s" % name)
                    value = argv[i]
                flags.setdefault(name, []).append(value)
            elif name in BOOL:
                flags.setdefault(name, []).append(inline if eq else "true")
            else:
                finish(1, err="error: unknown flag: %s\nSee 'kubectl --help' for usage." % name)
        else:
            words.append(arg)
        i += 1
    return words, flags


# ---------------------------------------------------------------- state

def ns_path(ns):
    return os.path.join(STATE, "namespaces", ns + ".json")


def load_ns(ns):
    try:
        with open(ns_path(ns)) as f:
            return loads(f.read())
    except FileNotFoundError:
        return None


def save_ns(obj):
    os.makedirs(os.path.join(STATE, "namespaces"), exist_ok=True)
    tmp = ns_path(obj["name"]) + ".%d.tmp" % os.getpid()
    with open(tmp, "w") as f:
        f.write(dumps(obj))
    os.replace(tmp, ns_path(obj["name"]))


def releases_in(ns):
    folder = os.path.join(STATE, "releases", ns)
    result = []
    if os.path.isdir(folder):
        for f in sorted(os.listdir(folder)):
            if f.endswith(".json"):
                try:
                    with open(os.path.join(folder, f)) as fh:
                        result.append(loads(fh.read()))
                except (OSError, ValueError):
                    pass
    return result


def override(ns, name):
    path = os.path.join(STATE, "kube", ns, name)
    if os.path.exists(path):
        with open(path) as f:
            return f.read()
    return None


def delete_mode(ns):
    path = os.path.join(STATE, "behaviour", "ns-" + ns)
    if os.path.exists(path):
        with open(path) as f:
            lines = [l.strip() for l in f.read().splitlines() if l.strip()]
        if lines:
            line = lines[0]
            if line.startswith("once:"):
                with open(path, "w") as f:
                    f.write("\n".join(lines[1:]) + ("\n" if len(lines) > 1 else ""))
                return line[5:]
            return line
    return os.environ.get("FAKE_KUBECTL_DELETE_MODE", "ok") or "ok"


def no_cluster():
    return os.environ.get("FAKE_KUBECTL_NO_CLUSTER") == "1"


def unreachable():
    finish(1, err="The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?")


# ---------------------------------------------------------------- derived objects

def pod(name, ns, phase, ready, waiting=None, conditions=None):
    status = {"phase": phase, "conditions": conditions or [{"type": "Ready", "status": "True" if ready else "False"}]}
    container = {"name": "app", "ready": ready, "restartCount": 3 if waiting == "CrashLoopBackOff" else 0,
                 "image": "registry.example/%s:1.0" % name}
    if waiting:
        messages = {
            "ImagePullBackOff": 'Back-off pulling image "registry.example/%s:1.0"' % name,
            "ErrImagePull": 'rpc error: code = NotFound desc = failed to pull image "registry.example/%s:1.0"' % name,
            "CrashLoopBackOff": "back-off 40s restarting failed container=app pod=%s" % name,
            "ContainerCreating": "",
        }
        container["state"] = {"waiting": {"reason": waiting, "message": messages.get(waiting, "")}}
    elif phase == "Running":
        container["state"] = {"running": {"startedAt": "2026-01-01T00:00:00Z"}}
    if phase != "Pending" or waiting:
        status["containerStatuses"] = [container]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}, "status": status}


def event(ns, kind, obj, reason, message, type_="Warning"):
    return {"apiVersion": "v1", "kind": "Event", "type": type_, "reason": reason, "message": message, "count": 3,
            "involvedObject": {"kind": kind, "name": obj, "namespace": ns},
            "metadata": {"name": "%s.fake" % obj, "namespace": ns}, "lastTimestamp": "2026-01-01T00:00:00Z"}


def derived(ns):
    pods, events = [], []
    for rel in releases_in(ns):
        name = rel["name"]
        last = rel["revisions"][-1] if rel.get("revisions") else {"status": "deployed"}
        status, issue = last["status"], rel.get("podIssue")
        pod_name = "%s-app-0" % name
        if status in ("deployed", "superseded"):
            pods.append(pod(pod_name, ns, "Running", True))
            events.append(event(ns, "Pod", pod_name, "Started", "Started container app", "Normal"))
        elif status.startswith("pending-"):
            pods.append(pod(pod_name, ns, "Pending", False, "ContainerCreating"))
        elif issue in ("ImagePullBackOff", "ErrImagePull"):
            pods.append(pod(pod_name, ns, "Pending", False, issue))
            events.append(event(ns, "Pod", pod_name, "Failed", 'Failed to pull image "registry.example/%s:1.0": not found' % pod_name))
            events.append(event(ns, "Pod", pod_name, "BackOff", 'Back-off pulling image "registry.example/%s:1.0"' % pod_name))
        elif issue == "CrashLoopBackOff":
            pods.append(pod(pod_name, ns, "Running", False, "CrashLoopBackOff"))
            events.append(event(ns, "Pod", pod_name, "BackOff", "Back-off restarting failed container app"))
        elif issue == "Unschedulable":
            pods.append(pod(pod_name, ns, "Pending", False, None, [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                 "message": "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available."}]))
            events.append(event(ns, "Pod", pod_name, "FailedScheduling", "0/1 nodes are available: 1 Insufficient memory."))
        elif issue == "QuotaExceeded":
            events.append(event(ns, "ReplicaSet", "%s-app-7d9f" % name, "FailedCreate",
                                'Error creating: pods "%s-app-7d9f-x2x" is forbidden: exceeded quota: store-quota, '
                                "requested: memory=2Gi, used: memory=1Gi, limited: memory=2Gi" % name))
        else:
            pods.append(pod(pod_name, ns, "Running", False))
    return pods, events


def as_list(items):
    return dumps({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}}, indent=1)


# ---------------------------------------------------------------- commands

def cmd_version(flags):
    client = {"clientVersion": {"major": "1", "minor": "35", "gitVersion": CLIENT_VERSION, "gitCommit": GIT_COMMIT, "platform": "linux/amd64"},
              "kustomizeVersion": "v5.7.1"}
    if flag(flags, "--client") is not None:
        finish(0, out=dumps(client, indent=2) if flag(flags, "--output", "-o") == "json" else "Client Version: %s (%s)" % (CLIENT_VERSION, GIT_COMMIT))
    if no_cluster():
        sys.stdout.write(dumps(client, indent=2) + "\n")
        unreachable()
    client["serverVersion"] = {"major": "1", "minor": "35", "gitVersion": SERVER_VERSION, "gitCommit": GIT_COMMIT.replace("kubectl", "API server"), "platform": "linux/amd64"}
    finish(0, out=dumps(client, indent=2))


def parse_manifest(text):
    docs, current = [], None
    for line in text.splitlines() + ["---"]:
        if line.strip() == "---":
            if current:
                docs.append(current)
            current = None
            continue
        current = current or {"labels": {}, "raw": []}
        current["raw"].append(line)
        kind = value_after(line, "kind:")
        if kind:
            current["kind"] = kind
        name = value_after(line, "  name:")
        if name and "name" not in current:
            current["name"] = name.strip("'\"")
        namespace = value_after(line, "  namespace:")
        if namespace:
            current["namespace"] = namespace.strip("'\"")
        if line.startswith("    "):  # a label: the regex ^    ([\w./-]+):\s*(\S+)
            key, colon, rest = line[4:].partition(":")
            value = value_after(rest, "")
            if colon and key and value and all(c.isalnum() or c in "_./-" for c in key):  # isalnum or _: re's \w
                current["labels"][key] = value.strip("'\"")
    return [d for d in docs if d.get("kind")]


def rbac_check(folder, binding, doc, ns):
    """Least-privilege RBAC as the API server applies it: inside a store namespace the control plane may act only once
    its RoleBinding exists there; with FAKE_KUBECTL_RBAC_LAG=1 the first try after the binding appeared is still
    refused (the authorizer's cache lags)."""
    def refuse():
        finish(1, err='Error from server (Forbidden): error when creating "STDIN": %ss is forbidden: User '
                      '"system:serviceaccount:control-plane:control-plane" cannot create resource "%ss" in API group "" '
                      'in the namespace "%s"' % (doc["kind"].lower(), doc["kind"].lower(), ns))
    if not os.path.exists(os.path.join(folder, "RoleBinding.%s.json" % binding)):
        refuse()
    lag = os.path.join(folder, ".rbac-lag-seen")
    if os.environ.get("FAKE_KUBECTL_RBAC_LAG") == "1" and not os.path.exists(lag):
        open(lag, "w").close()
        refuse()


def cmd_apply(flags):
    if flag(flags, "--filename", "-f") != "-":
        finish(1, err="error: the fake kubectl only applies manifests from stdin (-f -)")
    if no_cluster():
        unreachable()
    docs = parse_manifest(sys.stdin.read())
    if not docs:
        finish(1, err="error: no objects passed to apply")
    out = []
    for doc in docs:
        if not doc.get("name"):
            finish(1, err="error: error validating data: metadata.name is required")
        if doc["kind"] != "Namespace":
            # Namespaced objects (the platform chart's quota, limits, policies) are recorded under objects/<ns>/.
            target = doc.get("namespace") or flag(flags, "--namespace", "-n", default="default")
            if load_ns(target) is None:
                finish(1, err='Error from server (NotFound): error when creating "STDIN": namespaces "%s" not found' % target)
            folder = os.path.join(STATE, "objects", target)
            binding = os.environ.get("FAKE_KUBECTL_RBAC_ROLEBINDING")
            if binding and doc["kind"] != "RoleBinding":
                rbac_check(folder, binding, doc, target)
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, "%s.%s.json" % (doc["kind"], doc["name"]))
            existed = os.path.exists(path)
            with open(path, "w") as f:
                f.write(dumps(doc))
            out.append("%s/%s%s" % (doc["kind"].lower(), doc["name"], "" if flag(flags, "--output", "-o") == "name" else (" configured" if existed else " created")))
            continue
        existing = load_ns(doc["name"])
        if existing and existing.get("phase") == "Terminating":
            finish(1, err='Error from server (Forbidden): error when applying patch: namespaces "%s" is forbidden: '
                          "unable to create new content in namespace %s because it is being terminated" % (doc["name"], doc["name"]))
        save_ns({"name": doc["name"], "labels": doc["labels"], "phase": "Active"})
        if flag(flags, "--output", "-o") == "name":
            out.append("namespace/%s" % doc["name"])
        else:
            out.append("namespace/%s %s" % (doc["name"], "configured" if existing else "created"))
    finish(0, out="\n".join(out))


def namespace_json(obj):
    result = {"apiVersion": "v1", "kind": "Namespace",
              "metadata": {"name": obj["name"], "labels": obj.get("labels", {})},
              "spec": {"finalizers": ["kubernetes"]},
              "status": {"phase": obj.get("phase", "Active")}}
    if obj.get("phase") == "Terminating":
        result["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
        remaining = remaining_resources(obj["name"])
        result["status"]["conditions"] = [
            {"type": "NamespaceContentRemaining", "status": "True", "reason": "SomeResourcesRemain",
             "message": "Some resources are remaining: %s" % (", ".join(remaining) or "persistentvolumeclaims. has 1 resource instances")},
            {"type": "NamespaceFinalizersRemaining", "status": "True", "reason": "SomeFinalizersRemain",
             "message": "Some content in the namespace has finalizers remaining: kubernetes.io/pvc-protection in 1 resource instances"},
        ]
    return dumps(result, indent=1)


def remaining_resources(ns):
    text = override(ns, "all.txt")
    if text is not None:
        return [l.strip() for l in text.splitlines() if l.strip()]
    names = []
    for rel in releases_in(ns):
        n = rel["name"]
        names += ["pod/%s-app-0" % n, "service/%s" % n, "deployment.apps/%s-app" % n, "statefulset.apps/%s-db" % n]
    return names


LIST_KINDS = {"namespaces": "Namespace", "namespace": "Namespace", "ns": "Namespace", "resourcequotas": "ResourceQuota",
              "limitranges": "LimitRange", "networkpolicies": "NetworkPolicy"}


def listed(types, flags):
    """`get T1,T2,... [--all-namespaces | -n NS] [--selector k=v] -o json`: one List of every matching object."""
    kinds = []
    for t in types:
        if t not in LIST_KINDS:
            finish(1, err='error: the server doesn\'t have a resource type "%s"' % t)
        kinds.append(LIST_KINDS[t])
    selector = flag(flags, "--selector", "-l")
    all_ns = flag(flags, "--all-namespaces", "-A") is not None
    only_ns = None if all_ns else flag(flags, "--namespace", "-n", default="default")
    items = []
    folder = os.path.join(STATE, "namespaces")
    names = sorted(f[:-5] for f in os.listdir(folder) if f.endswith(".json")) if os.path.isdir(folder) else []
    if "Namespace" in kinds:
        for n in names:
            obj = load_ns(n)
            if obj and selected(obj.get("labels", {}), selector):
                items.append(loads(namespace_json(obj)))
    root = os.path.join(STATE, "objects")
    for n in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        if only_ns is not None and n != only_ns:
            continue
        for f in sorted(os.listdir(os.path.join(root, n))):
            if not f.endswith(".json"):
                continue
            with open(os.path.join(root, n, f)) as fh:
                doc = loads(fh.read())
            if doc.get("kind") in kinds and selected(doc.get("labels", {}), selector):
                items.append({"apiVersion": "v1", "kind": doc["kind"],
                              "metadata": {"name": doc["name"], "namespace": n, "labels": doc.get("labels", {})}})
    return as_list(items)


def cmd_get(words, flags):
    if no_cluster():
        unreachable()
    if len(words) < 2:
        finish(1, err="error: You must specify the type of resource to get.")
    kind = words[1]
    ns = flag(flags, "--namespace", "-n", default="default")
    output = flag(flags, "--output", "-o", default="")
    if "," in kind or (len(words) == 2 and flag(flags, "--selector", "-l") is not None):
        finish(0, out=listed(kind.split(","), flags))
    if kind in ("namespace", "namespaces", "ns"):
        name = words[2] if len(words) > 2 else None
        if name is None:
            folder = os.path.join(STATE, "namespaces")
            items = []
            if os.path.isdir(folder):
                items = [loads(namespace_json(load_ns(f[:-5]))) for f in sorted(os.listdir(folder)) if f.endswith(".json")]
            finish(0, out=as_list(items))
        obj = load_ns(name)
        if obj is None:
            if flag(flags, "--ignore-not-found") is not None:
                finish(0)
            finish(1, err='Error from server (NotFound): namespaces "%s" not found' % name)
        finish(0, out=namespace_json(obj) if output == "json" else "namespace/" + name)
    if kind in ("endpoints", "endpoint", "ep") and len(words) > 2 and words[2] == "kubernetes":
        ip = os.environ.get("FAKE_KUBECTL_API_SERVER_IP", "172.18.0.2")
        finish(0, out=dumps({"kind": "Endpoints", "metadata": {"name": "kubernetes", "namespace": "default"},
                             "subsets": [{"addresses": [{"ip": ip}], "ports": [{"name": "https", "port": 6443}]}]}))
    get_mode = os.environ.get("FAKE_KUBECTL_GET_MODE", "ok")
    if get_mode == "fail":
        finish(1, err="Error from server (ServiceUnavailable): the server is currently unable to handle the request (get %s)" % kind)
    if get_mode == "garbage":
        finish(0, out="<html>502 Bad Gateway</html>")
    pods, events = derived(ns)
    if kind in ("pods", "pod", "po"):
        text = override(ns, "pods.json")
        finish(0, out=text if text is not None else as_list(pods))
    if kind in ("events", "event", "ev"):
        text = override(ns, "events.json")
        finish(0, out=text if text is not None else as_list(events))
    if kind == "all":
        finish(0, out="\n".join(remaining_resources(ns)))
    finish(1, err='error: the server doesn\'t have a resource type "%s"' % kind)


def cmd_delete(words, flags):
    if no_cluster():
        unreachable()
    if len(words) < 3 or words[1] not in ("namespace", "namespaces", "ns"):
        finish(1, err="error: the fake kubectl only deletes namespaces")
    name = words[2]
    timeout = parse_duration(flag(flags, "--timeout", default="")) or None
    obj = load_ns(name)
    if obj is None:
        if flag(flags, "--ignore-not-found") is not None:
            finish(0)
        finish(1, err='Error from server (NotFound): namespaces "%s" not found' % name)
    mode = delete_mode(name)
    if mode == "fail":
        finish(1, err='Error from server (InternalError): Internal error occurred: failed to delete namespace "%s": '
                      "the server is currently unable to handle the request" % name)
    if mode in ("hang", "hang-hard"):
        obj["phase"] = "Terminating"
        save_ns(obj)
        sys.stdout.write('namespace "%s" deleted\n' % name)
        sys.stdout.flush()
        signal.signal(signal.SIGTERM, on_sigterm if mode == "hang" else signal.SIG_IGN)
        try:
            if mode == "hang" and timeout:
                sleep(timeout)
                finish(1, err="error: timed out waiting for the condition on namespaces/%s" % name)
            while True:
                time.sleep(0.05)
        except Terminated:
            finish(143, err="error: interrupted while waiting for namespaces/%s" % name)
    if mode != "ok":
        finish(1, err="error: fake kubectl: unknown FAKE_KUBECTL_DELETE_MODE %r" % mode)
    import shutil  # here only: it costs a launch ~5 ms
    shutil.rmtree(os.path.join(STATE, "releases", name), ignore_errors=True)
    shutil.rmtree(os.path.join(STATE, "kube", name), ignore_errors=True)
    shutil.rmtree(os.path.join(STATE, "objects", name), ignore_errors=True)
    try:
        os.remove(ns_path(name))
    except FileNotFoundError:
        pass
    finish(0, out='namespace "%s" deleted' % name)


def main():
    record("start")
    words, flags = parse(ARGV)
    if not words:
        finish(0, out="kubectl controls the Kubernetes cluster manager (fake).")
    verb = words[0]
    if verb == "version":
        cmd_version(flags)
    if verb == "apply":
        cmd_apply(flags)
    if verb == "get":
        cmd_get(words, flags)
    if verb == "delete":
        cmd_delete(words, flags)
    if verb == "cluster-info":
        if no_cluster():
            unreachable()
        finish(0, out="Kubernetes control plane is running at https://127.0.0.1:6443")
    finish(1, err='error: unknown command "%s" for "kubectl"' % verb)


