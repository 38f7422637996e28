#!/usr/bin/env python3
"""Writes the Markdown report of `make bench` from its JSON: report.py IN.json OUT.md"""
import json
import sys

NAMES = {"vigie": "Vigie", "omega": "Xapian Omega (omindex)", "fts5": "SQLite FTS5", "pg": "PostgreSQL FTS",
         "sqlite-fts5": "SQLite FTS5", "postgresql": "PostgreSQL FTS", "xapian-omega": "Xapian Omega"}
QKEY = {"omega": "omega", "fts5": "fts5", "pg": "pg"}


def f(x, digits=2):
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:.{digits}f}"


def ratio(a, b):
    if not a or not b:
        return "—"
    return f"{a / b:.2f}×"


def indexing_table(r):
    mb_in = r["input_bytes"] / 2**20
    lines = ["| engine | docs | wall s | CPU s | docs/s | MB/s | peak RSS MB | index MB | index ÷ input | Vigie/peer docs/s |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    v = r["indexing"].get("vigie", {})
    v_dps = v.get("documents", 0) / v["wall_s"] if v.get("wall_s") else None
    for eng, x in r["indexing"].items():
        if "error" in x:
            lines.append(f"| {NAMES[eng]} | failed: {x['error'][:80]} |")
            continue
        dps = x.get("documents", 0) / x["wall_s"] if x.get("wall_s") else None
        lines.append(
            f"| {NAMES[eng]} | {x.get('documents', 0):.0f} | {f(x.get('wall_s'))} | {f(x.get('cpu_s'))} | {f(dps)} | "
            f"{f(mb_in / x['wall_s'])} | {f(x.get('peak_rss_kb', 0) / 1024, 0)} | {f(x.get('index_bytes', 0) / 2**20, 1)} | "
            f"{f(x.get('index_bytes', 0) / r['input_bytes'])} | {'—' if eng == 'vigie' else ratio(v_dps, dps)} |")
    return lines


def query_table(r):
    lines = ["| engine | p50 ms | p95 ms | p99 ms | empty | errors | Vigie/peer p50 | Vigie/peer p99 |",
             "|---|--:|--:|--:|--:|--:|--:|--:|"]
    v = r["queries"].get("vigie", {}).get("median", {})
    for eng, x in r["queries"].items():
        if "error" in x:
            lines.append(f"| {NAMES[eng]} | failed: {x['error'][:80]} |")
            continue
        m = x["median"]
        lines.append(f"| {NAMES[eng]} | {f(m['p50'], 3)} | {f(m['p95'], 3)} | {f(m['p99'], 3)} | {x.get('empty', 0)} | "
                     f"{x.get('errors', 0)} | {'—' if eng == 'vigie' else ratio(v.get('p50'), m['p50'])} | "
                     f"{'—' if eng == 'vigie' else ratio(v.get('p99'), m['p99'])} |")
    kinds = sorted(r["queries"].get("vigie", {}).get("by_kind", {}))
    if kinds:
        engines = [e for e in r["queries"] if "by_kind" in r["queries"][e]]
        lines += ["", "p50 ms by kind of query:", "",
                  "| kind | " + " | ".join(NAMES[e] for e in engines) + " |",
                  "|---|" + "--:|" * len(engines)]
        for k in kinds:
            lines.append(f"| {k} | " + " | ".join(f(r['queries'][e]['by_kind'].get(k, {}).get('p50'), 3)
                                                  for e in engines) + " |")
    return lines


def http_table(r):
    h = r.get("http")
    if not h:
        return ["(wrk not installed: skipped)"]
    lines = ["| endpoint | connections | req/s | p50 ms | p99 ms | errors |", "|---|--:|--:|--:|--:|--:|"]
    for k, x in h.items():
        if not isinstance(x, dict):
            continue
        ep, c = k.split(" c=")
        lines.append(f"| {ep} | {c} | {f(x['rps'], 0)} | {f(x['p50_ms'], 2)} | {f(x['p99_ms'], 2)} | {x['errors']} |")
    lines.append(f"\nvigie-server RSS after the runs: {h.get('server_rss_kb', 0) / 1024:.0f} MB with the response "
                 f"cache, {h.get('server_rss_kb_uncached', 0) / 1024:.0f} MB without. Rows marked *uncached* ran "
                 f"with `search.result_cache_mb` 0: every request searches; the others are what users get — "
                 f"the 50 queries repeat, so after the first pass they are answered from the cache.")
    return lines


def growth(results):
    gen = [r for r in results if r["corpus"] != "real"]
    if len(gen) < 2:
        return []
    a, b = gen[0], gen[-1]
    n = float(b["corpus"]) / float(a["corpus"])
    lines = [f"## Growth: {a['corpus']} → {b['corpus']} documents (×{n:.0f})", "",
             "| engine | indexing wall | docs/s | index size | query p50 | query p99 |", "|---|--:|--:|--:|--:|--:|"]
    for eng in a["indexing"]:
        ia, ib = a["indexing"].get(eng, {}), b["indexing"].get(eng, {})
        qk = eng
        qa, qb = a["queries"].get(qk, {}).get("median"), b["queries"].get(qk, {}).get("median")
        if "wall_s" not in ia or "wall_s" not in ib:
            continue
        dps_a, dps_b = ia["documents"] / ia["wall_s"], ib["documents"] / ib["wall_s"]
        lines.append(f"| {NAMES[eng]} | ×{ib['wall_s'] / ia['wall_s']:.1f} | ×{dps_b / dps_a:.2f} | "
                     f"×{ib['index_bytes'] / max(1, ia['index_bytes']):.1f} | "
                     f"{'×%.1f' % (qb['p50'] / qa['p50']) if qa and qb else '—'} | "
                     f"{'×%.1f' % (qb['p99'] / qa['p99']) if qa and qb else '—'} |")
    return lines + [""]


def targets(results):
    big = [r for r in results if r["corpus"] != "real"]
    if not big:
        return []
    r = big[-1]
    v = r["indexing"].get("vigie", {})
    o = r["indexing"].get("omega", {})
    q = r["queries"].get("vigie", {}).get("median", {})
    h = r.get("http", {})
    out = [f"## Targets (on the {r['corpus']}-document corpus)", "",
           "| target | measured | met |", "|---|--:|:-:|"]

    def row(name, value, ok):
        out.append(f"| {name} | {value} | {'yes' if ok else 'no'} |")

    if v.get("wall_s") and o.get("wall_s"):
        x = (v["documents"] / v["wall_s"]) / (o["documents"] / o["wall_s"])
        row("indexing ≥ 5× omindex docs/s", f"{x:.2f}×", x >= 5)
    if q:
        row("query p50 ≤ 1.2 ms", f"{q['p50']:.3f} ms", q["p50"] <= 1.2)
        row("query p99 ≤ 5 ms", f"{q['p99']:.3f} ms", q["p99"] <= 5)
    if v.get("index_bytes"):
        x = v["index_bytes"] / r["input_bytes"]
        row("index ≤ 2.5× input", f"{x:.2f}×", x <= 2.5)
    if h:
        best = max((h[k]["rps"] for k in h if k.startswith("/api/search c=8")), default=0)
        row("/api/search ≥ 10 000 req/s at 8 conns (response cache on)", f"{best:,.0f}", best >= 10000)
        raw = h.get("/api/search uncached c=8", {}).get("rps")
        if raw is not None:
            row("/api/search ≥ 10 000 req/s at 8 conns, cache off", f"{raw:,.0f}", raw >= 10000)
        p99 = h.get("/api/search c=64", {}).get("p99_ms")
        if p99 is not None:
            row("/api/search p99 ≤ 20 ms at 64 conns", f"{p99:.1f} ms", p99 <= 20)
        html = h.get("/recherche c=8", {}).get("rps")
        if html is not None:
            row("/recherche ≥ 3 000 req/s at 8 conns", f"{html:,.0f}", html >= 3000)
        errs = sum(h[k]["errors"] for k in h if isinstance(h[k], dict))
        row("zero HTTP errors", str(errs), errs == 0)
        row("server RSS ≤ 150 MB", f"{h.get('server_rss_kb', 0) / 1024:.0f} MB", h.get("server_rss_kb", 0) <= 150 * 1024)
    return out + [""]


def main():
    doc = json.load(open(sys.argv[1]))
    m = doc["meta"]
    out = [f"# Vigie benchmarks — {m['date']}", "",
           f"{m['cores']} cores; load average before {m['load_before'][0]:.1f}, after {m['load_after'][0]:.1f} "
           f"(other engineers' builds share the machine: compare the same-run ratios, not absolute times). "
           f"Indexing: median of {m['runs']} runs; queries: median of {m['query_runs']} timed passes after a "
           f"warm-up pass; HTTP: median of 3 wrk runs of {m['http_seconds']} s. Total {m['minutes']:.0f} min.", ""]
    out += targets(doc["results"])
    out += growth(doc["results"])
    for r in doc["results"]:
        title = "real corpus (../shared/corpus)" if r["corpus"] == "real" else f"{r['corpus']} generated documents"
        out += [f"## {title}", "", f"Input: {r['input_bytes'] / 2**20:.1f} MB of files in `{r['path']}`.", "",
                "### Indexing", ""] + indexing_table(r) + ["", "### Queries (in-process, top 10 + extracts; Vigie also facets)", ""]
        out += query_table(r) + ["", "### HTTP (wrk, keep-alive, single-word queries)", ""] + http_table(r) + [""]
    open(sys.argv[2], "w").write("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
