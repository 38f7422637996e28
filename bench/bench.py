#!/usr/bin/env python3
"""`make bench` driver (called by bench/run): Vigie and its peers, same run,
same input. Writes bench/results/latest.md and bench/results/latest.json.

Environment:
  BENCH_SIZES="10000"        generated corpora sizes (e.g. "10000 100000")
  BENCH_REAL=1               also the real corpus (../shared/corpus)
  BENCH_RUNS=3               indexing runs per engine (the median is reported)
  BENCH_QUERY_RUNS=3         timed passes over bench/queries.txt
  BENCH_HTTP_SECONDS=5       per wrk run (3 runs per row)
  BENCH_PEERS="omega fts5 pg" which peers
  BENCH_ONLY_VIGIE=1         skip the peers (quick before/after checks)
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BENCH = os.path.join(ROOT, "bench")
DATA = os.path.join(BENCH, "data")
WORK = os.path.join(DATA, "work")
RESULTS = os.path.join(BENCH, "results")
REL = os.path.join(ROOT, "build", "release")
PY = "/usr/bin/python3"  # Debian's: python3-xapian and python3-psycopg2 live there
CONFIG = os.path.join(ROOT, "config", "vigie.json")
QUERIES = os.path.join(BENCH, "queries.txt")
PGBIN = "/usr/lib/postgresql/15/bin"
PG_DIR = "/tmp/vigie-bench-pg"
PG_PORT = "54329"

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
QRUNS = int(os.environ.get("BENCH_QUERY_RUNS", "3"))
HTTP_SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "5"))
ONLY_VIGIE = os.environ.get("BENCH_ONLY_VIGIE") == "1"
PEERS = [] if ONLY_VIGIE else os.environ.get("BENCH_PEERS", "omega fts5 pg").split()


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


# ---------------------------------------------------------------- corpora
def corpora():
    out = []
    if os.environ.get("BENCH_REAL", "1") == "1":
        real = os.path.abspath(os.environ.get("VIGIE_SHARED_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
        if os.path.isdir(real):
            out.append(("real", real))
    for size in os.environ.get("BENCH_SIZES", "10000").split():
        path = os.path.join(DATA, f"gen-{size}")
        log(f"generating {size} documents into {path} (skipped when already there)")
        subprocess.run([PY, os.path.join(BENCH, "gen_corpus.py"), "--size", size, "--out", path], check=True)
        out.append((size, path))
    return out


def input_bytes(path):
    """Bytes of text the engines read: the files, minus PDFs' binary (their size is counted as is)."""
    return du(path)


# ---------------------------------------------------------------- indexing
def index_vigie(data, work):
    db = os.path.join(work, "vigie")
    runs = []
    for _ in range(RUNS):
        shutil.rmtree(db, ignore_errors=True)
        r = timed([os.path.join(REL, "indexer", "vigie-index"), "--full", "--quiet", "--config", CONFIG,
                   "--db", db, "--report", os.path.join(work, "vigie-report.json"), data])
        rep = json.load(open(os.path.join(work, "vigie-report.json")))
        r["documents"] = rep.get("documents", 0)
        r["text_bytes"] = rep.get("text_bytes", 0)
        r["index_bytes"] = du(db)
        runs.append(r)
    return median_runs(runs), db


def index_omega(data, work):
    db = os.path.join(work, "omega")
    runs = []
    for _ in range(RUNS):
        shutil.rmtree(db, ignore_errors=True)
        r = timed(["omindex", "--db", db, "--url", "/", "--stemmer=french", "-M", "md:text/plain",
                   "-M", "json:text/plain", "--empty-docs=skip", data])
        out = subprocess.run([PY, "-c", f"import xapian;print(xapian.Database({db!r}).get_doccount())"],
                             capture_output=True, text=True)
        r["documents"] = int(out.stdout.strip() or 0)
        r["index_bytes"] = du(db)
        runs.append(r)
    return median_runs(runs), db


def index_fts5(data, work):
    db = os.path.join(work, "fts5.db")
    runs = []
    for _ in range(RUNS):
        r = timed([PY, os.path.join(BENCH, "peers.py"), "fts5-index", data, db])
        r["documents"] = json.loads(r["stdout"])["documents"]
        r["index_bytes"] = du(db)
        runs.append(r)
    return median_runs(runs), db


def pg_start():
    subprocess.run(["bash", "-c", f"""
set -e
if [ ! -f {PG_DIR}/data/PG_VERSION ]; then
  rm -rf {PG_DIR}; mkdir -p {PG_DIR}/sock; chown -R postgres {PG_DIR}
  runuser -u postgres -- {PGBIN}/initdb -D {PG_DIR}/data --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
runuser -u postgres -- {PGBIN}/pg_ctl -D {PG_DIR}/data -l {PG_DIR}/log -w \
  -o "-p {PG_PORT} -k {PG_DIR}/sock -c listen_addresses='' -c shared_buffers=256MB -c maintenance_work_mem=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"""], check=True)


def pg_stop():
    subprocess.run(["runuser", "-u", "postgres", "--", f"{PGBIN}/pg_ctl", "-D", f"{PG_DIR}/data", "-m", "fast",
                    "stop"], capture_output=True)


def index_pg(data, work):
    runs = []
    for _ in range(RUNS):
        out = subprocess.run([PY, os.path.join(BENCH, "peers.py"), "pg-index", data, f"{PG_DIR}/sock", PG_PORT],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        runs.append(json.loads(out.stdout))
    return median_runs(runs), None


# ---------------------------------------------------------------- queries
def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"{cmd[:3]} failed ({p.returncode}): {p.stderr[-2000:]}")


def queries_vigie(db):
    return run_json([os.path.join(REL, "bench", "search_bench"), "--db", db, "--config", CONFIG, "--queries", QUERIES,
                     "--runs", str(QRUNS)])


# ---------------------------------------------------------------- HTTP
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def parse_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        return 0.0
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[m.group(2)]


def wrk(port, paths_file, conns):
    threads = str(min(2, conns))
    p = subprocess.run(["wrk", "-t", threads, "-c", str(conns), "-d", f"{HTTP_SECONDS}s", "--latency",
                        "-s", os.path.join(BENCH, "wrk_paths.lua"), f"http://127.0.0.1:{port}"],
                       capture_output=True, text=True, env=dict(os.environ, WRK_PATHS=paths_file))
    out = p.stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
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


def http_bench(db, work):
    out = {}
    # wrk's connections all come from 127.0.0.1: the per-address cap (32 by
    # default, for a server facing the public) would refuse half of 64, so it
    # is off here, as behind a reverse proxy. Two servers: the shipped
    # response cache (what users get; the 50 queries are asked over and over),
    # then the cache off (every request searches).
    for label, cache_mb in (("", None), (" uncached", 0)):
        replacements = {"max_connections_per_client": 0}
        if cache_mb is not None:
            replacements["result_cache_mb"] = cache_mb
        config = derived_config(work, f"bench-http{label.strip() or '-cached'}.json", replacements)
        out.update(http_bench_one(db, work, config, label))
    return out


def http_bench_one(db, work, config, label):
    port = free_port()
    log_path = os.path.join(work, "server.log")
    server = subprocess.Popen([os.path.join(REL, "server", "vigie-server"), "--config", config, "--db", db,
                               "--port", str(port), "--quiet"], stdout=open(log_path, "w"),
                              stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                break
            except Exception:
                time.sleep(0.1)
        words = []
        for line in open(QUERIES, encoding="utf-8"):
            if line.startswith("word\t"):
                words.append(line.split("\t", 1)[1].strip())
        from urllib.parse import quote
        endpoints = {"/api/search": [f"/api/search?q={quote(w)}" for w in words]}
        try:
            code = urllib.request.urlopen(f"http://127.0.0.1:{port}/recherche?q=budget", timeout=5).status
        except Exception:
            code = 0
        if code == 200:
            endpoints["/recherche"] = [f"/recherche?q={quote(w)}" for w in words]
        out = {}
        for name, paths in endpoints.items():
            paths_file = os.path.join(work, "wrk-paths.txt")
            open(paths_file, "w").write("\n".join(paths) + "\n")
            for conns in (1, 8, 64):
                runs = [wrk(port, paths_file, conns) for _ in range(3)]
                row = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50_ms", "p99_ms")}
                row["errors"] = sum(r["errors"] for r in runs)
                row["rps_all"] = [round(r["rps"]) for r in runs]
                out[f"{name}{label} c={conns}"] = row
                log(f"  HTTP {name}{label} c={conns}: {row}")
        out[f"server_rss_kb{label.replace(' ', '_')}"] = rss_kb(server.pid)
        return out
    finally:
        server.terminate()
        server.wait()


# ---------------------------------------------------------------- one corpus
def bench_corpus(name, data):
    work = os.path.join(WORK, name)
    os.makedirs(work, exist_ok=True)
    res = {"corpus": name, "path": data, "input_bytes": input_bytes(data), "indexing": {}, "queries": {}}
    log(f"[{name}] indexing with Vigie ({RUNS} runs)")
    res["indexing"]["vigie"], vdb = index_vigie(data, work)
    log(f"  {res['indexing']['vigie']}")
    peer_dbs = {}
    for peer, fn in (("omega", index_omega), ("fts5", index_fts5), ("pg", index_pg)):
        if peer not in PEERS:
            continue
        log(f"[{name}] indexing with {peer} ({RUNS} runs)")
        try:
            res["indexing"][peer], peer_dbs[peer] = fn(data, work)
            log(f"  {res['indexing'][peer]}")
        except Exception as e:  # a peer failing must not lose Vigie's figures
            res["indexing"][peer] = {"error": str(e)[:500]}
            log(f"  {peer} failed: {e}")
    log(f"[{name}] queries")
    res["queries"]["vigie"] = queries_vigie(vdb)
    peer_q = {
        "omega": lambda: run_json([PY, os.path.join(BENCH, "peers.py"), "xapian-query", peer_dbs["omega"], QUERIES,
                                   str(QRUNS)]),
        "fts5": lambda: run_json([PY, os.path.join(BENCH, "peers.py"), "fts5-query", peer_dbs["fts5"], QUERIES,
                                  str(QRUNS)]),
        "pg": lambda: run_json([PY, os.path.join(BENCH, "peers.py"), "pg-query", f"{PG_DIR}/sock", PG_PORT, QUERIES,
                                str(QRUNS)]),
    }
    for peer in PEERS:
        if peer in peer_dbs:
            try:
                res["queries"][peer] = peer_q[peer]()
            except Exception as e:
                res["queries"][peer] = {"error": str(e)[:500]}
    for k, v in res["queries"].items():
        log(f"  {k}: {v.get('median')}")
    if shutil.which("wrk"):
        log(f"[{name}] HTTP (wrk, {HTTP_SECONDS} s × 3 per row)")
        res["http"] = http_bench(vdb, work)
    return res


def main():
    os.makedirs(RESULTS, exist_ok=True)
    started = time.time()
    load0 = os.getloadavg()
    if "pg" in PEERS:
        pg_start()
    results = []
    try:
        for name, data in corpora():
            results.append(bench_corpus(name, data))
            json.dump({"results": results}, open(os.path.join(RESULTS, "partial.json"), "w"), indent=1)
    finally:
        if "pg" in PEERS:
            pg_stop()
    meta = {"date": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(started)), "cores": os.cpu_count(),
            "load_before": load0, "load_after": os.getloadavg(), "minutes": (time.time() - started) / 60,
            "runs": RUNS, "query_runs": QRUNS, "http_seconds": HTTP_SECONDS}
    doc = {"meta": meta, "results": results}
    json.dump(doc, open(os.path.join(RESULTS, "latest.json"), "w"), indent=1)
    subprocess.run([PY, os.path.join(BENCH, "report.py"), os.path.join(RESULTS, "latest.json"),
                    os.path.join(RESULTS, "latest.md")], check=True)


if __name__ == "__main__":
    main()
