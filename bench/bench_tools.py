"""Shared by bench.py and scale_rows.py: paths, timed processes, a
vigie-server for the length of a `with`, wrk and its parsing."""
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BENCH = os.path.join(ROOT, "bench")
REL = os.path.join(ROOT, "build", "release")
PY = "/usr/bin/python3"  # Debian's: python3-xapian and python3-psycopg2 live there
CONFIG = os.path.join(ROOT, "config", "vigie.json")
QUERIES = os.path.join(BENCH, "queries.txt")
QRUNS = int(os.environ.get("BENCH_QUERY_RUNS", "3"))
HTTP_SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "5"))


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def du(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for folder, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(folder, f))
            except OSError:
                pass
    return total


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time -v: wall, cpu, peak RSS (KB), stdout."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {p.stderr[-2000:]}")
    err = p.stderr

    def field(name):
        m = re.search(re.escape(name) + r":\s*(\S+)", err)
        return m.group(1) if m else "0"

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")]
    secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    return {"wall_s": secs, "cpu_s": float(field("User time (seconds)")) + float(field("System time (seconds)")),
            "peak_rss_kb": int(field("Maximum resident set size (kbytes)")), "stdout": p.stdout}


def median_runs(runs):
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float))]
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    out["runs"] = len(runs)
    out["wall_all"] = [round(r["wall_s"], 2) for r in runs]
    return out


def run_json(cmd, timeout=None):
    """The last stdout line of cmd as JSON (search_bench, peers.py)."""
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"{cmd[:3]} failed ({p.returncode}): {p.stderr[-2000:]}")


def search_bench(db, config=CONFIG, timeout=None, runs=QRUNS, queries=QUERIES, facets=True):
    """Vigie in process (one Searcher): top 10, facets (unless not), extracts, JSON."""
    return run_json([os.path.join(REL, "bench", "search_bench"), "--db", db, "--config", config, "--queries",
                     queries, "--runs", str(runs)] + ([] if facets else ["--no-facets"]), timeout=timeout)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def proc_memory_kb(pid):
    """VmRSS and RssAnon (the process's own memory: VmRSS also counts the
    pages of mapped files, positions.vigie, which are page cache)."""
    out = {}
    for line in open(f"/proc/{pid}/status"):
        key = line.split(":", 1)[0]
        if key in ("VmRSS", "RssAnon", "RssFile"):
            out[key] = int(line.split()[1])
    return out


def derived_config(work, name, replacements):
    """CONFIG with some "key": value lines replaced, written to work/name;
    analysis files stay those of the shipped configuration."""
    text = open(CONFIG, encoding="utf-8").read()
    for key, value in replacements.items():
        text, n = re.subn(rf'("{key}"\s*:\s*)[^,\n]+', rf"\g<1>{value}", text, count=1)
        if n != 1:
            raise RuntimeError(f"{key} not found in {CONFIG}")
    config_dir = os.path.dirname(CONFIG)
    for key in ("stopwords", "synonyms"):
        text = re.sub(rf'("{key}"\s*:\s*")([^"/][^"]*)"', lambda m: f'{m.group(1)}{config_dir}/{m.group(2)}"', text)
    path = os.path.join(work, name)
    open(path, "w", encoding="utf-8").write(text)
    return path


class Server:
    """vigie-server on a free loopback port for the length of a `with`."""

    def __init__(self, db, config, work, name="server"):
        self.port = free_port()
        self.log = os.path.join(work, f"{name}.log")
        self.proc = subprocess.Popen([os.path.join(REL, "server", "vigie-server"), "--config", config, "--db", db,
                                      "--port", str(self.port), "--quiet"], stdout=open(self.log, "w"),
                                     stderr=subprocess.STDOUT)

    def __enter__(self):
        # A 1M-document index takes a few seconds to open: wait up to 2 minutes.
        for _ in range(1200):
            if self.proc.poll() is not None:
                raise RuntimeError(f"vigie-server exited: {open(self.log).read()[-2000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1).read()
                return self
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("vigie-server did not answer /health within 2 minutes")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def warm_up(self):
        """A first search, which reads the facet columns: at 1M documents it
        takes seconds, and must neither be timed nor fail a later check."""
        self.get_json("/api/search?q=budget", timeout=600)

    def get_json(self, path, timeout=60):
        return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout).read())


def query_lines(kinds=None):
    """bench/queries.txt as (kind, query), optionally only some kinds."""
    out = []
    for line in open(QUERIES, encoding="utf-8"):
        if line.startswith("#") or "\t" not in line:
            continue
        kind, q = line.rstrip("\n").split("\t", 1)
        if kinds is None or kind in kinds:
            out.append((kind, q))
    return out


def api_paths(queries, endpoint="/api/search"):
    return [f"{endpoint}?q={quote(q)}" for _, q in queries]


def parse_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        return 0.0
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[m.group(2)]


def wrk(port, paths_file, conns):
    threads = str(min(2, conns))
    # --timeout 10s: at 1M documents a slow query under 64 connections must
    # count as a latency, not as a socket timeout (wrk's default is 2 s).
    p = subprocess.run(["wrk", "-t", threads, "-c", str(conns), "-d", f"{HTTP_SECONDS}s", "--timeout", "10s",
                        "--latency", "-s", os.path.join(BENCH, "wrk_paths.lua"), f"http://127.0.0.1:{port}"],
                       capture_output=True, text=True, env=dict(os.environ, WRK_PATHS=paths_file))
    out = p.stdout
    m = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if not m:
        raise RuntimeError(f"wrk failed ({p.returncode}): {p.stderr[-1000:]}")
    rps = float(m.group(1))
    lat = dict(re.findall(r"^\s*(50|75|90|99)%\s+(\S+)", out, re.M))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "p50_ms": parse_ms(lat.get("50", "0")), "p99_ms": parse_ms(lat.get("99", "0")),
            "errors": errors}


def wrk_row(port, paths, conns, work):
    """Median of 3 wrk runs cycling through paths."""
    paths_file = os.path.join(work, "wrk-paths.txt")
    open(paths_file, "w").write("\n".join(paths) + "\n")
    runs = [wrk(port, paths_file, conns) for _ in range(3)]
    row = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50_ms", "p99_ms")}
    row["errors"] = sum(r["errors"] for r in runs)
    row["rps_all"] = [round(r["rps"]) for r in runs]
    return row
