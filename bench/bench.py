#!/usr/bin/env python3
"""`make bench` driver (called by bench/run): Vigie and its peers (omindex,
SQLite FTS5, PostgreSQL, Lucene 8), same run, same input. Writes bench/results/latest.md and bench/results/latest.json.

Environment:
  BENCH_SIZES="10000"        generated corpora sizes (e.g. "10000 100000")
  BENCH_REAL=1               also the real corpus (../shared/corpus)
  BENCH_RUNS=3               indexing runs per engine (the median is reported)
  BENCH_QUERY_RUNS=3         timed passes over bench/queries.txt
  BENCH_HTTP_SECONDS=5       per wrk run (3 runs per row)
  BENCH_PEERS="omega fts5 pg lucene" which peers
  BENCH_ONLY_VIGIE=1         skip the peers (quick before/after checks)
  BENCH_PEERS_MAX_SIZE=100000 above it, only Vigie and Lucene (omega, fts5, pg would take hours)
  BENCH_BIG_RUNS=1           indexing runs per engine above BENCH_PEERS_MAX_SIZE
  BENCH_CORPUS_<N>=DIR       a gen_corpus.py output of N documents made beforehand (BENCH_CORPUS_1000000=/tmp/gen1m)
  BENCH_SCALE_ROWS=1         Vigie's rows: incremental run, one changed file visible, 240 distinct queries over HTTP
  BENCH_SHARDS=1             shard rows: one index, 2 local shards, 2 remote shards (xapian-tcpsrv)
  BENCH_SHARD_TIMEOUT=7200   seconds search_bench may take over the 2 local, then the 2 remote shards (then the row says so)
  BENCH_SHARD_QUERY_RUNS=1   timed passes over the shards (one index: BENCH_QUERY_RUNS)
  BENCH_REMOTE_PER_KIND=5    remote shards: the first N queries of each kind (0: all)
  BENCH_VISIBLE_TIMEOUT=1800 seconds to wait for the changed file to be found
"""
import json
import os
import shutil
import subprocess
import time
import urllib.request

import scale_rows
from bench_tools import (BENCH, CONFIG, PY, QRUNS, QUERIES, HTTP_SECONDS, REL, Server, api_paths, derived_config,
                         du, log, median_runs, proc_memory_kb, query_lines, run_json, search_bench, timed, wrk_row)

DATA = os.path.join(BENCH, "data")
WORK = os.path.join(DATA, "work")
RESULTS = os.path.join(BENCH, "results")
PGBIN = "/usr/lib/postgresql/15/bin"
PG_DIR = "/tmp/vigie-bench-pg"
PG_PORT = "54329"

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
BIG_RUNS = int(os.environ.get("BENCH_BIG_RUNS", "1"))
ONLY_VIGIE = os.environ.get("BENCH_ONLY_VIGIE") == "1"
PEERS = [] if ONLY_VIGIE else os.environ.get("BENCH_PEERS", "omega fts5 pg lucene").split()
# omindex, FTS5 and PostgreSQL would take hours at 1M documents: above this
# size only Vigie and Lucene run (and indexing runs BENCH_BIG_RUNS times).
PEERS_MAX_SIZE = int(os.environ.get("BENCH_PEERS_MAX_SIZE", "100000"))
SLOW_PEERS = ("omega", "fts5", "pg")
SCALE_ROWS = os.environ.get("BENCH_SCALE_ROWS", "1") == "1"
SHARD_ROWS = os.environ.get("BENCH_SHARDS", "1") == "1"


def is_big(name):
    return name != "real" and int(name) > PEERS_MAX_SIZE


def peers_for(name):
    return [p for p in PEERS if not (is_big(name) and p in SLOW_PEERS)]


# ---------------------------------------------------------------- corpora
def corpora():
    out = []
    if os.environ.get("BENCH_REAL", "1") == "1":
        real = os.path.abspath(os.environ.get("VIGIE_SHARED_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
        if os.path.isdir(real):
            out.append(("real", real))
    for size in os.environ.get("BENCH_SIZES", "10000").split():
        premade = os.environ.get(f"BENCH_CORPUS_{size}")
        if premade:  # e.g. BENCH_CORPUS_1000000=/tmp/gen1m: gen_corpus.py's output, made beforehand
            stamp = os.path.join(premade, ".complete")
            if not os.path.exists(stamp) or not open(stamp).read().startswith(f"size={size} "):
                raise SystemExit(f"BENCH_CORPUS_{size}={premade}: no gen_corpus.py output of {size} documents "
                                 f"(its .complete stamp is missing or names another size)")
            log(f"{size} documents: the corpus in {premade}")
            out.append((size, os.path.abspath(premade)))
            continue
        path = os.path.join(DATA, f"gen-{size}")
        log(f"generating {size} documents into {path} (skipped when already there)")
        subprocess.run([PY, os.path.join(BENCH, "gen_corpus.py"), "--size", size, "--out", path], check=True)
        out.append((size, path))
    return out


def input_bytes(path):
    """Bytes of text the engines read: the files, minus PDFs' binary (their size is counted as is)."""
    return du(path)


# ---------------------------------------------------------------- indexing
def index_vigie(data, work, nruns):
    db = os.path.join(work, "vigie")
    runs = []
    for _ in range(nruns):
        shutil.rmtree(db, ignore_errors=True)
        r = timed([os.path.join(REL, "indexer", "vigie-index"), "--full", "--quiet", "--config", CONFIG,
                   "--db", db, "--report", os.path.join(work, "vigie-report.json"), data])
        rep = json.load(open(os.path.join(work, "vigie-report.json")))
        r["documents"] = rep.get("documents", 0)
        r["text_bytes"] = rep.get("text_bytes", 0)
        r["index_bytes"] = du(db)
        runs.append(r)
    return median_runs(runs), db


def index_omega(data, work, nruns):
    db = os.path.join(work, "omega")
    runs = []
    for _ in range(nruns):
        shutil.rmtree(db, ignore_errors=True)
        r = timed(["omindex", "--db", db, "--url", "/", "--stemmer=french", "-M", "md:text/plain",
                   "-M", "json:text/plain", "--empty-docs=skip", data])
        out = subprocess.run([PY, "-c", f"import xapian;print(xapian.Database({db!r}).get_doccount())"],
                             capture_output=True, text=True)
        r["documents"] = int(out.stdout.strip() or 0)
        r["index_bytes"] = du(db)
        runs.append(r)
    return median_runs(runs), db


def index_fts5(data, work, nruns):
    db = os.path.join(work, "fts5.db")
    runs = []
    for _ in range(nruns):
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


def index_pg(data, work, nruns):
    runs = []
    for _ in range(nruns):
        out = subprocess.run([PY, os.path.join(BENCH, "peers.py"), "pg-index", data, f"{PG_DIR}/sock", PG_PORT],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        runs.append(json.loads(out.stdout))
    return median_runs(runs), None


def index_lucene(data, work, nruns):
    """Lucene 8 (bench/lucene): each run indexes (its own wall time: javac and
    the queries are left out) then answers bench/queries.txt; the indexing
    figures are the median run's, the queries' those of the last run."""
    docs = os.path.join(work, "lucene-docs.jsonl")
    if not os.path.exists(docs + ".done") or open(docs + ".done").read() != data:
        log(f"  writing {docs} (the documents as peers.py reads them)")
        subprocess.run([PY, os.path.join(BENCH, "peers.py"), "lucene-docs", data, docs], check=True,
                       stdout=subprocess.DEVNULL)
        open(docs + ".done", "w").write(data)
    index = os.path.join(work, "lucene")
    timing = os.path.join(work, "lucene-timing.json")
    runs, queries = [], None
    for _ in range(nruns):
        shutil.rmtree(index, ignore_errors=True)
        r = timed([os.path.join(BENCH, "lucene", "run"), "--docs", docs, "--queries", QUERIES, "--k", "10", "--runs",
                   str(QRUNS), "--warmup", "3", "--bench", "1", "--timing", timing, "--index", index, "--out", "/dev/null"])
        queries = json.load(open(timing))
        r["process_wall_s"] = r["wall_s"]
        r["wall_s"] = queries.pop("index_s")
        r["documents"] = queries["documents"]
        r["index_bytes"] = du(index)
        runs.append(r)
    return median_runs(runs), queries


# ---------------------------------------------------------------- HTTP
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
    words = query_lines({"word"})
    with Server(db, config, work) as server:
        endpoints = {"/api/search": api_paths(words)}
        server.warm_up()
        try:
            code = urllib.request.urlopen(f"http://127.0.0.1:{server.port}/recherche?q=budget", timeout=60).status
        except Exception:
            code = 0
        if code == 200:
            endpoints["/recherche"] = api_paths(words, "/recherche")
        out = {}
        for name, paths in endpoints.items():
            for conns in (1, 8, 64):
                row = wrk_row(server.port, paths, conns, work)
                out[f"{name}{label} c={conns}"] = row
                log(f"  HTTP {name}{label} c={conns}: {row}")
        mem = proc_memory_kb(server.proc.pid)
        out[f"server_rss_kb{label.replace(' ', '_')}"] = mem.get("VmRSS", 0)
        out[f"server_anon_kb{label.replace(' ', '_')}"] = mem.get("RssAnon", 0)
        return out


# ---------------------------------------------------------------- one corpus
def bench_corpus(name, data):
    work = os.path.join(WORK, name)
    os.makedirs(work, exist_ok=True)
    nruns = BIG_RUNS if is_big(name) else RUNS
    peers = peers_for(name)
    res = {"corpus": name, "path": data, "input_bytes": input_bytes(data), "indexing": {}, "queries": {},
           "peers_run": peers, "index_runs": nruns}
    log(f"[{name}] indexing with Vigie ({nruns} runs)")
    res["indexing"]["vigie"], vdb = index_vigie(data, work, nruns)
    log(f"  {res['indexing']['vigie']}")
    peer_dbs = {}
    for peer, fn in (("omega", index_omega), ("fts5", index_fts5), ("pg", index_pg), ("lucene", index_lucene)):
        if peer not in peers:
            continue
        log(f"[{name}] indexing with {peer} ({nruns} runs)")
        try:
            res["indexing"][peer], peer_dbs[peer] = fn(data, work, nruns)
            log(f"  {res['indexing'][peer]}")
        except Exception as e:  # a peer failing must not lose Vigie's figures
            res["indexing"][peer] = {"error": str(e)[:500]}
            log(f"  {peer} failed: {e}")
    if SCALE_ROWS and name != "real":
        log(f"[{name}] incremental vigie-index over the unchanged tree")
        res["incremental"] = scale_rows.guarded(scale_rows.incremental_unchanged, data, vdb, work)
        log(f"  {res['incremental']}")
    log(f"[{name}] queries")
    res["queries"]["vigie"] = search_bench(vdb)
    # Like for like with the peers, which count no facets.
    res["queries_no_facets"] = search_bench(vdb, facets=False)
    peer_q = {
        "omega": lambda: run_json([PY, os.path.join(BENCH, "peers.py"), "xapian-query", peer_dbs["omega"], QUERIES,
                                   str(QRUNS)]),
        "fts5": lambda: run_json([PY, os.path.join(BENCH, "peers.py"), "fts5-query", peer_dbs["fts5"], QUERIES,
                                  str(QRUNS)]),
        "pg": lambda: run_json([PY, os.path.join(BENCH, "peers.py"), "pg-query", f"{PG_DIR}/sock", PG_PORT, QUERIES,
                                str(QRUNS)]),
        "lucene": lambda: peer_dbs["lucene"],  # answered in its indexing runs
    }
    for peer in peers:
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
        if SCALE_ROWS and name != "real":
            log(f"[{name}] HTTP, cache off, the 240 distinct queries")
            res["http_distinct"] = scale_rows.guarded(scale_rows.http_distinct, vdb, work)
            log(f"  {res['http_distinct']}")
    if SCALE_ROWS and name != "real":
        log(f"[{name}] one changed file: seconds until a search finds it")
        res["visible"] = scale_rows.guarded(scale_rows.changed_visible, data, vdb, work)
        log(f"  {res['visible']}")
    if SHARD_ROWS and name != "real":
        log(f"[{name}] shards: one index, 2 local, 2 remote (xapian-tcpsrv)")
        res["shards"] = scale_rows.guarded(scale_rows.shard_rows, data, work, res["queries"]["vigie"])
        log(f"  {res['shards']}")
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
            "runs": RUNS, "big_runs": BIG_RUNS, "query_runs": QRUNS, "http_seconds": HTTP_SECONDS,
            "peers": PEERS, "peers_max_size": PEERS_MAX_SIZE}
    doc = {"meta": meta, "results": results}
    json.dump(doc, open(os.path.join(RESULTS, "latest.json"), "w"), indent=1)
    subprocess.run([PY, os.path.join(BENCH, "report.py"), os.path.join(RESULTS, "latest.json"),
                    os.path.join(RESULTS, "latest.md")], check=True)


if __name__ == "__main__":
    main()
