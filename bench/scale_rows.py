"""Vigie's rows of issue 19's scale targets, measured by bench.py on each
generated corpus (docs in bench/README.md, « Scale rows »):

- incremental_unchanged: `vigie-index` (no --full) over the tree it just indexed;
- changed_visible: one file changed (a new word), seconds from the start of
  an incremental run until a running vigie-server's /api/search finds it;
- http_distinct: /api/search with the response cache off cycling through
  the 240 queries of bench/queries.txt, 8 and 64 connections, server memory;
- shard_rows: the same queries in process on one index, on 2 local shards
  (`vigie-index --shards 2`) and on the same 2 shards behind 2 xapian-tcpsrv.
"""
import os
import random
import shutil
import signal
import subprocess
import time

from bench_tools import (CONFIG, QUERIES, REL, Server, api_paths, derived_config, du, free_port, log, proc_memory_kb,
                         query_lines, search_bench, timed, wait_port, wrk_row)

# Searching shards costs far more than one index (at 100k documents, 2 local
# shards kept search_bench busy for more than 13 minutes): one timed pass,
# and a bound on each row, past which the row says so.
SHARD_TIMEOUT = int(os.environ.get("BENCH_SHARD_TIMEOUT", "7200"))
SHARD_QUERY_RUNS = int(os.environ.get("BENCH_SHARD_QUERY_RUNS", "1"))
# Remote shards answer a phrase by reading every candidate's position stream
# (a round trip each: docs/architecture.md "Shards"), minutes a query at 1M:
# the remote row takes the first queries of each kind (0: all of them).
REMOTE_PER_KIND = int(os.environ.get("BENCH_REMOTE_PER_KIND", "5"))
VISIBLE_TIMEOUT = int(os.environ.get("BENCH_VISIBLE_TIMEOUT", "1800"))
INDEX = os.path.join(REL, "indexer", "vigie-index")


def guarded(fn, *args):
    """A row that fails is reported as failed: it must not lose the others."""
    try:
        return fn(*args)
    except Exception as e:
        log(f"  {fn.__name__} failed: {e}")
        return {"error": str(e)[:500]}


def incremental_unchanged(data, db, work):
    r = timed([INDEX, "--quiet", "--config", CONFIG, "--db", db, "--report",
               os.path.join(work, "vigie-incremental.json"), data])
    r.pop("stdout")
    return r


def uncached_config(work):
    # Every request searches; connections all come from 127.0.0.1 (the
    # per-address cap would refuse half of 64, as behind a reverse proxy).
    return derived_config(work, "bench-http-uncached.json", {"max_connections_per_client": 0, "result_cache_mb": 0})


def first_document(data):
    """The first Markdown file in sorted order (gen_corpus.py: 000/doc-000000.md)."""
    for folder, dirs, files in os.walk(data):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md"):
                return os.path.join(folder, name)
    raise RuntimeError(f"no Markdown file under {data}")


def changed_visible(data, db, work):
    """Appends a new word to one file, starts an incremental run with a server
    on the index, polls /api/search?q=WORD every 50 ms. The file's bytes and
    mtime are put back afterwards (the corpus is shared between runs; the
    index keeps the changed version: one document, one extra word)."""
    path = first_document(data)
    word = "vigiesentinelle" + "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    original = open(path, "rb").read()
    stat = os.stat(path)
    with Server(db, uncached_config(work), work, "server-visible") as server:
        server.warm_up()
        if server.get_json(f"/api/search?q={word}")["total"]:
            raise RuntimeError(f"{word} found before the change")
        try:
            with open(path, "ab") as f:
                f.write(f"\n\nMot témoin {word} du banc d'essai.\n".encode())
            started = time.monotonic()
            run = subprocess.Popen([INDEX, "--quiet", "--config", CONFIG, "--db", db, data],
                                   stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "visible-index.log"), "w"))
            seen, run_s, polls = None, None, 0
            while time.monotonic() - started < VISIBLE_TIMEOUT:
                polls += 1
                if server.get_json(f"/api/search?q={word}")["total"]:
                    seen = time.monotonic() - started
                    break
                if run_s is None and run.poll() is not None:
                    run_s = time.monotonic() - started
                if run_s is not None and time.monotonic() - started > run_s + 30:
                    break  # the run ended 30 s ago and the word is still not found
                time.sleep(0.05)
            run.wait(timeout=VISIBLE_TIMEOUT)
            run_s = run_s or time.monotonic() - started
        finally:
            open(path, "wb").write(original)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    if run.returncode != 0:
        raise RuntimeError(f"vigie-index exited {run.returncode}: {open(os.path.join(work, 'visible-index.log')).read()[-1000:]}")
    return {"visible_s": seen, "run_s": run_s, "polls": polls, "file": os.path.relpath(path, data)}


def http_distinct(db, work):
    """Cache off, the 240 queries of every kind in turn (none answered from a
    cache): req/s and latency at 8 and 64 connections, then the server's
    memory (VmRSS; RssAnon leaves out the mapped files' page cache)."""
    paths = api_paths(query_lines())
    out = {}
    with Server(db, uncached_config(work), work, "server-distinct") as server:
        server.warm_up()
        for conns in (8, 64):
            out[f"c={conns}"] = wrk_row(server.port, paths, conns, work)
            log(f"  c={conns}: {out[f'c={conns}']}")
        mem = proc_memory_kb(server.proc.pid)
    out["server_rss_kb"] = mem.get("VmRSS", 0)
    out["server_anon_kb"] = mem.get("RssAnon", 0)
    out["queries"] = len(paths)
    return out


def stub_shards(db):
    """The absolute paths of the `auto PATH` lines of db/current."""
    out = []
    for line in open(os.path.join(db, "current"), encoding="utf-8"):
        parts = line.split()
        if len(parts) == 2 and parts[0] == "auto":
            out.append(parts[1] if os.path.isabs(parts[1]) else os.path.join(db, parts[1]))
    return out


def start_tcpsrv(shard, work, i):
    port = free_port()
    # Its own process group: xapian-tcpsrv forks a child per connection, and
    # the whole group is ended afterwards (by its id, started here).
    proc = subprocess.Popen(["xapian-tcpsrv", "--port", str(port), "--idle-timeout", "600000", "--active-timeout",
                             "600000", shard], stdout=open(os.path.join(work, f"tcpsrv-{i}.log"), "w"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    if not wait_port(port):
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError(f"xapian-tcpsrv on {shard} did not listen")
    return proc, port


def query_row(q, wall_s=None):
    m = q["median"]
    row = {"runs": q.get("runs"), "p50": m["p50"], "p95": m["p95"], "p99": m["p99"], "errors": q.get("errors", 0),
           "empty": q.get("empty", 0), "documents": q.get("documents")}
    if wall_s is not None:
        row["search_bench_wall_s"] = wall_s
    for key in ("warmup_ms", "first_ms"):
        if key in q:
            row[key] = q[key]
    row["by_kind_p50"] = {k: v["p50"] for k, v in q.get("by_kind", {}).items()}
    return row


def first_of_each_kind(work, per_kind):
    """A queries file of the first `per_kind` queries of each kind (all when 0)."""
    if per_kind <= 0:
        return QUERIES
    taken, lines = {}, []
    for kind, q in query_lines():
        taken[kind] = taken.get(kind, 0) + 1
        if taken[kind] <= per_kind:
            lines.append(f"{kind}\t{q}\n")
    path = os.path.join(work, f"queries-{per_kind}-per-kind.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return path


def shard_search(db, config=CONFIG, queries=QUERIES):
    """search_bench over shards, bounded: the row or why there is none."""
    started = time.monotonic()
    try:
        row = query_row(search_bench(db, config, SHARD_TIMEOUT, SHARD_QUERY_RUNS, queries),
                        time.monotonic() - started)
        row["queries"] = sum(1 for line in open(queries, encoding="utf-8")
                             if "\t" in line and not line.startswith("#"))
        return row
    except subprocess.TimeoutExpired:
        return {"error": f"search_bench did not end within {SHARD_TIMEOUT} s (BENCH_SHARD_TIMEOUT)"}
    except RuntimeError as e:
        return {"error": str(e)[:500]}


def shard_rows(data, work, one_index_queries):
    """search_bench (the same queries, in process) on one index (bench.py's
    figures), on 2 local shards, on 2 remote shards over loopback."""
    out = {"one index": query_row(one_index_queries)}
    out["one index"]["queries"] = len(query_lines())
    db = os.path.join(work, "vigie-shards2")
    shutil.rmtree(db, ignore_errors=True)
    r = timed([INDEX, "--full", "--shards", "2", "--quiet", "--config", CONFIG, "--db", db, data])
    out["index_2_shards"] = {"wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "peak_rss_kb": r["peak_rss_kb"],
                             "index_bytes": du(db)}
    out["2 local shards"] = shard_search(db)
    shards = stub_shards(db)
    if len(shards) != 2:
        raise RuntimeError(f"{db}/current lists {len(shards)} local shards, not 2")
    servers = []
    try:
        for i, shard in enumerate(shards):
            servers.append(start_tcpsrv(shard, work, i))
        remote = os.path.join(work, "vigie-remote")
        os.makedirs(remote, exist_ok=True)
        with open(os.path.join(remote, "current"), "w") as f:
            f.write(f"# vigie-copies {db}\n" + "".join(f"remote 127.0.0.1:{port}\n" for _, port in servers))
        # A remote shard answering slowly under the bench must not be left
        # out (a partial answer would look fast): the longest timeout.
        config = derived_config(work, "bench-remote.json", {"shard_timeout_ms": 600000})
        out["2 remote shards"] = shard_search(remote, config, first_of_each_kind(work, REMOTE_PER_KIND))
    finally:
        for proc, _ in servers:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            proc.wait()
    return out
