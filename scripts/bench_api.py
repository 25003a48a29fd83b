#!/usr/bin/env python3
"""API at scale (issue #12, item 2e): seeds the metadata database with N stores and M audit rows, starts the test
server on it, and measures the latency of the dashboard's reads over real HTTP plus the server's memory.

Called by scripts/bench-api.sh (which builds the test server and, with --postgres, starts a throwaway PostgreSQL).
Prints a Markdown table and the machine it ran on."""
import argparse, json, os, platform, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
import urllib.request, urllib.error

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = os.path.join(ROOT, "tests/StoreProvisioning.TestServer/bin/Release/net10.0/StoreProvisioning.TestServer.dll")
STATUSES = ["READY"] * 8 + ["FAILED", "NEW"]
ACTIONS = ["create.requested", "install.started", "install.succeeded", "upgrade.requested", "upgrade.started",
           "upgrade.succeeded", "rollback.requested", "retry.requested", "reconcile.drift", "diagnostics.collected"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_sql(engine, stores, audit, now_ms):
    """One SQL script that fills the tables the server created, set-based so it takes seconds, not minutes."""
    users = max(1, stores // 20)
    day = 86_400_000
    if engine == "sqlite":
        seq = lambda n: f"WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {n - 1})"
        cat = "||"
    else:
        seq = lambda n: f"WITH seq(i) AS (SELECT generate_series(0, {n - 1}))"
        cat = "||"
    status = "CASE (i % 10) " + " ".join(f"WHEN {k} THEN '{v}'" for k, v in enumerate(STATUSES)) + " END"
    action = "CASE (i % 10) " + " ".join(f"WHEN {k} THEN '{v}'" for k, v in enumerate(ACTIONS)) + " END"
    return f"""
{seq(stores)}
INSERT INTO stores (id, name, user_id, engine, status, operation, operation_id, failed_operation, operation_args, revision, error, created_at, updated_at, plan)
SELECT 'id' {cat} i, 'bench-' {cat} i, 'user-' {cat} (i % {users}), CASE WHEN i % 2 = 0 THEN 'woocommerce' ELSE 'medusa' END,
       {status}, 'install', 'op' {cat} i, NULL, NULL, 1, NULL, {now_ms - 60 * day} + i * 1000, {now_ms - 60 * day} + i * 1000, 'small'
FROM seq;
{seq(audit)}
INSERT INTO activity (store_name, user_id, action, detail, timestamp, operation_id, duration_ms, actor)
SELECT 'bench-' {cat} (i % {stores}), 'user-' {cat} ((i % {stores}) % {users}), {action}, 'seeded row ' {cat} i,
       {now_ms - 60 * day} + i * 20, 'op' {cat} (i % {stores}), CASE WHEN i % 10 = 2 THEN 40000 + i % 5000 ELSE NULL END, 'system'
FROM seq;
DELETE FROM audit_counters;
INSERT INTO audit_counters (user_id, action, count, duration_ms_total, duration_count)
SELECT COALESCE(user_id, ''), action, COUNT(*), COALESCE(SUM(duration_ms), 0), COUNT(duration_ms) FROM activity GROUP BY COALESCE(user_id, ''), action;
"""


def run_sql(engine, target, sql):
    if engine == "sqlite":
        import sqlite3
        with sqlite3.connect(target) as db:
            db.executescript(sql)
    else:
        psql = os.path.join(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"), "psql")
        parts = dict(p.split("=", 1) for p in target.split(";") if "=" in p)
        subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", "-h", parts["Host"], "-p", parts["Port"], "-U", parts["Username"],
                        # VACUUM ANALYZE (its own command: it cannot run in the seed's transaction) is what autovacuum
                        # does within a minute of a bulk load in a live database (autovacuum_vacuum_insert_threshold):
                        # statistics, and the visibility map that lets counts use index-only scans. The steady state.
                        "-d", parts["Database"], "-c", sql, "-c", "VACUUM ANALYZE;"], check=True)


class Server:
    def __init__(self, env, folder):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(folder, "server.log"), "w")
        self.proc = subprocess.Popen(["dotnet", SERVER, "--urls", self.base], env=env, cwd=folder, stdout=self.log, stderr=subprocess.STDOUT)
        self.key = env["BOOTSTRAP_ADMIN_KEY"]
        deadline = time.time() + 90
        while True:
            if self.proc.poll() is not None:
                sys.exit(f"test server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if self.get("/api/health")[0] == 200:
                    return
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit("test server did not answer /api/health within 90 s")
            time.sleep(0.3)

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {self.key}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def rss_mb(self):
        fields = dict(line.split(":", 1) for line in open(f"/proc/{self.proc.pid}/status"))
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


WARMUP_ROUNDS = 200


def warm_up(server, paths):
    # Steady state, as a server the dashboard has been polling is: the runtime recompiles a method with full
    # optimisation only after it has run a few dozen times, in the background, and that compiling would otherwise land
    # in the first rows measured. Every read, round robin.
    for _ in range(WARMUP_ROUNDS):
        for path in paths:
            server.get(path)


def measure(server, path, count):
    times = []
    for _ in range(count):
        start = time.perf_counter()
        status, _, _ = server.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            sys.exit(f"GET {path} answered {status}")
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(round(q * len(times))) - 1)]
    return pick(0.50), pick(0.95), pick(0.99)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=10_000)
    parser.add_argument("--audit", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", action="store_true", help="use TEST_POSTGRES_CONNECTION (scripts/bench-api.sh --postgres)")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bench-api-")
    engine = "postgres" if args.postgres else "sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("ASPNETCORE_URLS", "DURABLE_BACKEND", "AUTH_MODE")}
    env.update({
        "HELM_PATH": os.path.join(ROOT, "tests/fakes/helm"), "KUBECTL_PATH": os.path.join(ROOT, "tests/fakes/kubectl"),
        "FAKE_CLI_STATE": os.path.join(folder, "fake-cli"), "CHARTS_ROOT": os.path.join(ROOT, "helm"),
        "SQLITE_PATH": os.path.join(folder, "stores.db"), "STORE_DATABASE": engine,
        "MAX_STORES_TOTAL": "100000", "RECONCILE_INTERVAL": "24h", "DOTNET_gcServer": "0",
        "Logging__LogLevel__Default": "Warning", "BOOTSTRAP_ADMIN_KEY": "bench-admin-" + os.urandom(16).hex(),
    })
    if args.postgres:
        env["POSTGRES_CONNECTION"] = os.environ["TEST_POSTGRES_CONNECTION"]
    try:
        server = Server(env, folder)  # creates and migrates the schema
        server.stop()
        now_ms = int(time.time() * 1000)
        started = time.time()
        run_sql(engine, env["SQLITE_PATH"] if engine == "sqlite" else env["POSTGRES_CONNECTION"], seed_sql(engine, args.stores, args.audit, now_ms))
        seeded = time.time() - started

        server = Server(env, folder)
        try:
            metrics = json.loads(server.get("/api/stores/metrics")[2])
            assert metrics["totalStores"] == args.stores, metrics
            # A page deep in the list: follow Link 50 times, then measure that page again and again.
            path = "/api/stores?limit=100"
            for _ in range(50):
                link = server.get(path)[1].get("Link")
                path = re.match(r"<([^>]+)>", link).group(1)
            deep = path
            rows = [
                ("GET /api/stores/metrics", "/api/stores/metrics", 5),
                ("GET /api/stores/activity (limit 50)", "/api/stores/activity?limit=50", 10),
                ("GET /api/stores/activity?store= (limit 50)", "/api/stores/activity?limit=50&store=bench-4242", 10),
                ("GET /api/stores?limit=100 (first page)", "/api/stores?limit=100", 50),
                ("GET /api/stores?limit=100 (page 51, via cursor)", deep, 50),
                ("GET /api/stores?userId=…&limit=100", "/api/stores?userId=user-7&limit=100", 50),
            ]
            warm_up(server, [path for _, path, _ in rows])
            results = [(label, target, measure(server, path, args.requests)) for label, path, target in rows]
            rss, peak = server.rss_mb()
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    print(f"\nAPI at scale: {args.stores} stores, {args.audit} audit rows, {engine}; {args.requests} sequential requests each after {WARMUP_ROUNDS} warm-up rounds of every read, admin caller")
    load = open("/proc/loadavg").read().split()[:3]
    print(f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}; load average {' '.join(load)} at the end; seeding took {seeded:.1f} s\n")
    print("| request | p50 ms | p95 ms | p99 ms | target p99 |")
    print("|---|---|---|---|---|")
    failed = False
    for label, target, (p50, p95, p99) in results:
        ok = p99 <= target
        failed |= not ok
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {p99:.1f} | ≤ {target} ms {'✓' if ok else '✗'} |")
    print(f"| server RSS after the run (peak) | {rss:.0f} MB ({peak:.0f} MB) | | | ≤ 250 MB {'✓' if peak <= 250 else '✗'} |")
    failed |= peak > 250
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
