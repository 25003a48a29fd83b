#!/usr/bin/env -S python3 -S
"""A launch server for the fake helm and kubectl: a call costs a few ms instead of a python start (25-45 ms here).

    python3 -S tests/fakes/fork_server.py SOCKET

Point HELM_PATH/KUBECTL_PATH at `helm`/`kubectl` builds of fork_launcher.c and set FAKE_CLI_SERVER=SOCKET for the
process that launches them. Only the benchmark does (scripts/bench.sh); the test suites launch the python fakes.

The server keeps a pool of worker processes, forked with the fakes' code compiled, waiting on the socket. A launch
connects and hands over its argv, environment, working directory and stdin/stdout/stderr; the worker that accepts it
runs the same fake_helm/fake_kubectl code the python launchers run, as fresh modules, on those descriptors, and reports
the exit code the fake ended with; then it waits for the next launch. The launcher forwards SIGTERM/SIGINT/SIGHUP to
the worker and ends as the run ended; a launcher killed with SIGKILL takes its worker with it (the server forks another).
So to its caller a launch behaves like the plain fake's process. What differs: calls.jsonl records the worker's pid,
which later launches reuse, and a worker killed by a signal the launcher did not forward looks to the caller as if
it was killed with SIGKILL.
"""
import _signal as signal
import _thread
import gc
import os
import select
import socket
import struct
import sys

FAKES = os.path.dirname(os.path.realpath(__file__))
MIN_IDLE = 2  # workers waiting for a launch; the server forks more when fewer wait
INT = struct.Struct("=I")
REAL_EXIT = os._exit


def compiled(name):
    path = os.path.join(FAKES, name + ".py")
    with open(path) as f:
        return compile(f.read(), path, "exec")


# Compiled once here; each launch runs them as fresh modules, since the fakes read their environment and argv on import.
CODE = {name: compiled(name) for name in ("fake_cli", "fake_helm", "fake_kubectl")}
import _json  # noqa: E402,F401 - loaded once for every worker: fake_cli imports it


class Ended(SystemExit):
    """What os._exit(code) raises inside a run, so the worker outlives the fake's end (fake_cli.run re-raises it)."""


def main():
    path = sys.argv[1]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(256)
    server.setblocking(False)
    life_r, life_w = os.pipe()  # workers see EOF here when the server is gone, and stop
    state_r, state_w = os.pipe()  # workers write b"b" when they take a launch and b"i" when it has ended
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    own_fds = (life_w, state_r, wake_r, wake_w)
    gc.freeze()  # the server's objects stay out of the workers' collections, which would touch (copy) their pages
    idle = 0
    poll = select.poll()
    poll.register(state_r, select.POLLIN)
    poll.register(wake_r, select.POLLIN)
    while True:
        while idle < MIN_IDLE:
            if os.fork() == 0:
                worker(server, life_r, state_w, own_fds)  # never returns
            idle += 1
        for fd, _ in poll.poll():
            if fd == state_r:
                changes = os.read(state_r, 4096)
                idle += changes.count(b"i") - changes.count(b"b")
            else:
                os.read(wake_r, 4096)
                reap()


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def worker(server, life_r, state_w, own_fds):
    try:
        signal.set_wakeup_fd(-1)
        for fd in own_fds:
            os.close(fd)
        reset_signals()
        warm_up()
        poll = select.poll()
        poll.register(server.fileno(), select.POLLIN)
        poll.register(life_r, select.POLLIN)
        while True:
            ready = dict(poll.poll())
            if life_r in ready:
                break
            try:
                conn, _ = server.accept()
            except BlockingIOError:
                continue  # another worker took it
            os.write(state_w, b"b")
            serve(conn)
            os.write(state_w, b"i")
    finally:
        REAL_EXIT(0)


def reset_signals():
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def warm_up():
    """Does once what a launch does, so the pages it touches are copied now and not while a caller waits."""
    saved = dict(sys.modules)
    for tool in ("helm", "kubectl"):
        load("fake_cli")
        load("fake_" + tool)
    sys.modules.clear()
    sys.modules.update(saved)
    environment = [("%s=%s" % item).encode() for item in os.environ.items()]
    parse(b"\0".join([b"helm", b"/", b"2", b"version", b"--short"] + environment))
    for key in list(os.environ):
        os.environ[key] = os.environ[key]


def serve(conn):
    """Runs one launch: the fake on the caller's descriptors, its exit code sent back."""
    conn.setblocking(True)
    request = receive(conn)
    if request is None:
        conn.close()
        return
    tool, cwd, argv, env, fds = request
    conn.sendall(INT.pack(os.getpid()))
    ended = [False]

    def watch_launcher():
        # The launcher never writes after its request: EOF before the run has ended means it was killed, and its
        # run goes with it, as a process's would.
        try:
            conn.recv(1)
        except OSError:
            pass
        if not ended[0]:
            os.kill(os.getpid(), signal.SIGKILL)

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = open(0, "r", encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
    os.chdir(cwd)
    for key in [k for k in os.environ if k not in env]:
        del os.environ[key]
    for key, value in env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    sys.argv = [tool] + argv
    _thread.start_new_thread(watch_launcher, ())
    os._exit = exit_run  # the fakes end with os._exit(code) (fake_cli.finish)
    code = 70
    try:
        fake_cli = load("fake_cli")
        fake_cli.run(tool, load("fake_" + tool).main)
        code = 0
    except Ended as e:
        code = e.code
    except SystemExit as e:  # sys.exit(): what the interpreter would do with it at exit
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:
            sys.stderr.write("%s\n" % (e.code,))
            code = 1
    except BaseException as e:  # noqa: BLE001 - fake_cli.run records those; this is the worker's own failure
        sys.stderr.write("fake %s failed in the fork server: %r\n" % (tool, e))
    finally:
        os._exit = REAL_EXIT
        reset_signals()
        for name in ("fake_cli", "fake_helm", "fake_kubectl"):
            sys.modules.pop(name, None)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:
                pass
        null = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):  # the caller sees EOF now; 0-2 stay taken, so no socket lands on them
            os.dup2(null, target)
        os.close(null)
    ended[0] = True
    try:
        conn.sendall(INT.pack(code & 0xFF))
        conn.shutdown(socket.SHUT_RDWR)  # wakes the watcher, which sees the run ended
    except OSError:
        pass
    conn.close()


def exit_run(code):
    raise Ended(code)


def load(name):
    module = type(sys)(name)
    module.__file__ = os.path.join(FAKES, name + ".py")
    sys.modules[name] = module
    exec(CODE[name], module.__dict__)
    return module


def receive(conn):
    """One request: its length and the caller's stdin/stdout/stderr, then tool, cwd, argc, args and environment."""
    fds = []
    try:
        data, ancillary, _, _ = conn.recvmsg(INT.size, socket.CMSG_LEN(3 * 4))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.extend(struct.unpack("=%di" % (len(payload) // 4), payload[:len(payload) - len(payload) % 4]))
        data += read_exactly(conn, INT.size - len(data))
        body = read_exactly(conn, INT.unpack(data)[0])
        if len(fds) != 3:
            raise EOFError
        return parse(body) + (fds,)
    except (OSError, EOFError, ValueError, IndexError, KeyError):
        for fd in fds:
            os.close(fd)
        return None


def parse(body):
    fields = body.split(b"\0")
    tool, cwd, argc = fields[0].decode(), fields[1], int(fields[2])
    if "fake_" + tool not in CODE:
        raise KeyError(tool)
    argv = [os.fsdecode(a) for a in fields[3:3 + argc]]
    env = {}
    for entry in fields[3 + argc:]:
        if entry:
            key, _, value = entry.partition(b"=")
            env[os.fsdecode(key)] = os.fsdecode(value)
    return tool, cwd, argv, env


def read_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


if __name__ == "__main__":
    main()
