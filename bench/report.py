#!/usr/bin/env python3
"""Writes the Markdown report of `make bench` from its JSON: report.py IN.json OUT.md"""
import json
import math
import sys

NAMES = {"vigie": "Vigie", "omega": "Xapian Omega (omindex)", "fts5": "SQLite FTS5", "pg": "PostgreSQL FTS",
         "sqlite-fts5": "SQLite FTS5", "postgresql": "PostgreSQL FTS", "xapian-omega": "Xapian Omega",
         "lucene": "Lucene 8 (Elasticsearch's French)"}


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
    lines = ["| engine | docs | wall s | CPU s | docs/s | MB/s | peak RSS MB | index MB | index ÷ input | index ÷ text "
             "| Vigie/peer docs/s |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    v = r["indexing"].get("vigie", {})
    text = v.get("text_bytes")
    v_dps = v.get("documents", 0) / v["wall_s"] if v.get("wall_s") else None
    for eng, x in r["indexing"].items():
        if "error" in x:
            lines.append(f"| {NAMES[eng]} | failed: {x['error'][:80]} |")
            continue
        dps = x.get("documents", 0) / x["wall_s"] if x.get("wall_s") else None
        lines.append(
            f"| {NAMES[eng]} | {x.get('documents', 0):.0f} | {f(x.get('wall_s'))} | {f(x.get('cpu_s'))} | {f(dps)} | "
            f"{f(mb_in / x['wall_s'])} | {f(x.get('peak_rss_kb', 0) / 1024, 0)} | {f(x.get('index_bytes', 0) / 2**20, 1)} | "
            f"{f(x.get('index_bytes', 0) / r['input_bytes'])} | {ratio(x.get('index_bytes'), text)} | "
            f"{'—' if eng == 'vigie' else ratio(v_dps, dps)} |")
    lines.append("")
    lines.append("*text*: the text Vigie extracted (its report's `text_bytes`: files without front matter and markup), "
                 "the same denominator for every engine.")
    if "lucene" in r["indexing"]:
        lines.append("Lucene: wall = its own indexing time (one thread adding, then merged to one segment; the JVM's "
                     "start, javac and the queries left out); CPU and peak RSS are the whole `java` process's, "
                     "queries included; it reads the documents as JSON lines that `peers.py lucene-docs` wrote "
                     "beforehand (Vigie reads the Markdown files).")
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
    nf = r.get("queries_no_facets", {}).get("median")
    if nf:
        lines += ["", f"Vigie without facets (`search_bench --no-facets`, as the peers answer): p50 {f(nf['p50'], 3)}, "
                      f"p95 {f(nf['p95'], 3)}, p99 {f(nf['p99'], 3)} ms"
                  + "".join(f"; Vigie/{NAMES[e]} p50 {ratio(nf['p50'], x['median']['p50'])}, p99 "
                            f"{ratio(nf['p99'], x['median']['p99'])}"
                            for e, x in r["queries"].items() if e != "vigie" and "median" in x) + "."]
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


def loglog_exponent(points):
    """Least-squares slope of log(y) over log(n): 1.0 = grows like n."""
    pts = [(math.log(n), math.log(y)) for n, y in points if n > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    var = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / var if var else None


def dig(r, *keys):
    for k in keys:
        if not isinstance(r, dict) or k not in r:
            return None
        r = r[k]
    return r


def growth_figures(eng):
    """(label, function of one corpus' result → number or None)."""
    def dps(r):
        x = r["indexing"].get(eng, {})
        return x["documents"] / x["wall_s"] if x.get("wall_s") else None

    def ratio_text(r):
        x, text = r["indexing"].get(eng, {}), dig(r, "indexing", "vigie", "text_bytes")
        return x["index_bytes"] / text if x.get("index_bytes") and text else None

    rows = [("index time s", lambda r: dig(r, "indexing", eng, "wall_s")), ("docs/s", dps),
            ("peak RSS MB", lambda r: (dig(r, "indexing", eng, "peak_rss_kb") or 0) / 1024 or None),
            ("index ÷ text", ratio_text),
            ("query p50 ms (in process)", lambda r: dig(r, "queries", eng, "median", "p50")),
            ("query p99 ms (in process)", lambda r: dig(r, "queries", eng, "median", "p99"))]
    if eng != "vigie":
        return rows
    for key in ("/api/search c=1", "/api/search c=8", "/api/search c=64", "/api/search uncached c=1",
                "/api/search uncached c=8", "/api/search uncached c=64"):
        rows.append((f"HTTP {key} req/s", lambda r, k=key: dig(r, "http", k, "rps")))
        rows.append((f"HTTP {key} p99 ms", lambda r, k=key: dig(r, "http", k, "p99_ms")))
    rows += [("server RSS MB (cache on)", lambda r: (dig(r, "http", "server_rss_kb") or 0) / 1024 or None),
             ("server RSS MB (cache off)", lambda r: (dig(r, "http", "server_rss_kb_uncached") or 0) / 1024 or None),
             ("incremental run, unchanged tree, s", lambda r: dig(r, "incremental", "wall_s")),
             ("one changed file visible, s", lambda r: dig(r, "visible", "visible_s")),
             ("distinct queries, cache off: req/s at 8", lambda r: dig(r, "http_distinct", "c=8", "rps")),
             ("distinct queries, cache off: p99 ms at 64", lambda r: dig(r, "http_distinct", "c=64", "p99_ms")),
             ("distinct queries: server RssAnon MB", lambda r: (dig(r, "http_distinct", "server_anon_kb") or 0) / 1024
              or None),
             ("2 local shards p50 ms", lambda r: dig(r, "shards", "2 local shards", "p50")),
             ("2 local shards p99 ms", lambda r: dig(r, "shards", "2 local shards", "p99")),
             ("2 remote shards p50 ms", lambda r: dig(r, "shards", "2 remote shards", "p50")),
             ("2 remote shards p99 ms", lambda r: dig(r, "shards", "2 remote shards", "p99"))]
    return rows


def growth(results):
    gen = sorted((r for r in results if r["corpus"] != "real"), key=lambda r: int(r["corpus"]))
    if len(gen) < 2:
        return []
    sizes = [int(r["corpus"]) for r in gen]
    lines = [f"## Growth over {', '.join(f'{n:,}' for n in sizes)} documents", "",
             "Each figure at each size, and the exponent of a least-squares fit of log(figure) over log(documents): "
             "1.0 grows like the collection, 0 does not grow, 0.5 like its square root (over the sizes where the "
             "figure exists).", ""]
    for eng in ("vigie", "lucene"):
        if not any(eng in r["indexing"] and "wall_s" in r["indexing"][eng] for r in gen):
            continue
        lines += [f"### {NAMES[eng]}", "",
                  "| figure | " + " | ".join(f"{n:,}" for n in sizes) + " | exponent |",
                  "|---|" + "--:|" * (len(sizes) + 1)]
        for label, fn in growth_figures(eng):
            values = []
            for r in gen:
                try:
                    values.append(fn(r))
                except (KeyError, TypeError, ZeroDivisionError):
                    values.append(None)
            if all(v is None for v in values):
                continue
            e = loglog_exponent(list(zip(sizes, values)))
            lines.append(f"| {label} | " + " | ".join(f(v) for v in values) + f" | {'—' if e is None else f'{e:.2f}'} |")
        lines.append("")
    return lines


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


def peers_line(results):
    runs = []
    for r in results:
        engines = ", ".join(NAMES[e] for e in r["indexing"])
        n = r.get("index_runs")
        runs.append(f"{r['corpus']}: {engines}" + (f" ({n} indexing run{'s' if n != 1 else ''})" if n else ""))
    return "Engines run at each size — " + "; ".join(runs) + "."


def scale_targets(results):
    """Issue 19's targets (set for 1,000,000 documents on 2 cores), on the largest corpus."""
    gen = sorted((r for r in results if r["corpus"] != "real"), key=lambda r: int(r["corpus"]))
    if not gen:
        return []
    r = gen[-1]
    v, q = r["indexing"].get("vigie", {}), dig(r, "queries", "vigie", "median") or {}
    lq = dig(r, "queries", "lucene", "median")
    out = [f"## Issue 19's targets (set for 1,000,000 documents), on the {int(r['corpus']):,}-document corpus", "",
           "| target | measured | met |", "|---|--:|:-:|"]

    def row(name, value, ok):
        out.append(f"| {name} | {value} | {'yes' if ok else 'no'} |")

    if v.get("wall_s"):
        row("`vigie-index --full` ≤ 360 s", f"{v['wall_s']:.1f} s ({v['documents'] / v['wall_s']:,.0f} docs/s)",
            v["wall_s"] <= 360)
        row("peak RSS ≤ 2 GB", f"{v['peak_rss_kb'] / 2**20:.2f} GB", v["peak_rss_kb"] <= 2 * 2**20)
        if v.get("text_bytes"):
            x = v["index_bytes"] / v["text_bytes"]
            row("index ≤ 1.8× the text", f"{x:.2f}×", x <= 1.8)
    if dig(r, "incremental", "wall_s") is not None:
        row("incremental run, unchanged tree ≤ 60 s", f"{r['incremental']['wall_s']:.1f} s",
            r["incremental"]["wall_s"] <= 60)
    if "visible" in r and "error" not in r["visible"]:
        s = r["visible"]["visible_s"]
        row("one changed file visible ≤ 5 s after the run's start", "not found" if s is None else f"{s:.1f} s",
            s is not None and s <= 5)
    if q:
        row("in process p50 ≤ 5 ms" + (", below Lucene's" if lq else ""),
            f"{q['p50']:.2f} ms" + (f" (Lucene {lq['p50']:.2f})" if lq else ""),
            q["p50"] <= 5 and (not lq or q["p50"] < lq["p50"]))
        row("in process p99 ≤ 30 ms" + (", below Lucene's" if lq else ""),
            f"{q['p99']:.2f} ms" + (f" (Lucene {lq['p99']:.2f})" if lq else ""),
            q["p99"] <= 30 and (not lq or q["p99"] < lq["p99"]))
    d = r.get("http_distinct", {})
    if "c=8" in d:
        row("/api/search, cache off, distinct queries ≥ 400 req/s at 8", f"{d['c=8']['rps']:,.0f}", d["c=8"]["rps"] >= 400)
        row("… p99 ≤ 100 ms at 64", f"{d['c=64']['p99_ms']:.1f} ms", d["c=64"]["p99_ms"] <= 100)
        errs = d["c=8"]["errors"] + d["c=64"]["errors"]
        row("… zero errors", str(errs), errs == 0)
        row("… server RSS ≤ 500 MB (RssAnon: page cache excluded)",
            f"{d['server_anon_kb'] / 1024:.0f} MB (VmRSS {d['server_rss_kb'] / 1024:.0f})",
            d["server_anon_kb"] <= 500 * 1024)
    return out + [""]


def scale_section(r):
    """Vigie's rows of issue 19 on one corpus (bench/scale_rows.py)."""
    out = []
    if "incremental" in r:
        x = r["incremental"]
        out.append(f"- Incremental `vigie-index` over the unchanged tree: "
                   + (f"failed: {x['error'][:200]}" if "error" in x else
                      f"{x['wall_s']:.1f} s (CPU {x['cpu_s']:.1f} s, peak RSS {x['peak_rss_kb'] / 1024:.0f} MB)."))
    if "visible" in r:
        x = r["visible"]
        out.append("- One changed file (`" + x.get("file", "?") + "`, a new word), an incremental run with a server "
                   "on the index: " + (f"failed: {x['error'][:200]}" if "error" in x else
                                       ("not found" if x["visible_s"] is None else
                                        f"found by `/api/search` {x['visible_s']:.2f} s after the run's start")
                                       + f" (the run took {x['run_s']:.1f} s)."))
    if "http_distinct" in r:
        x = r["http_distinct"]
        if "error" in x:
            out.append(f"- Distinct queries over HTTP: failed: {x['error'][:200]}")
        else:
            out += [f"- `/api/search`, response cache off, cycling through the {x['queries']} queries of "
                    f"`queries.txt` (every kind):", "",
                    "| connections | req/s | p50 ms | p99 ms | errors |", "|--:|--:|--:|--:|--:|"]
            for c in (8, 64):
                y = x[f"c={c}"]
                out.append(f"| {c} | {f(y['rps'], 0)} | {f(y['p50_ms'])} | {f(y['p99_ms'])} | {y['errors']} |")
            out += ["", f"  Server memory after the load: RssAnon {x['server_anon_kb'] / 1024:.0f} MB (its own; "
                        f"VmRSS {x['server_rss_kb'] / 1024:.0f} MB also counts mapped files' pages, page cache)."]
    if "shards" in r:
        x = r["shards"]
        if "error" in x:
            out.append(f"- Shards: failed: {x['error'][:300]}")
        else:
            ix = x["index_2_shards"]
            out += ["", "Shards, in process (`search_bench`, the same queries; remote = two `xapian-tcpsrv` on "
                        "loopback, a stub of two `remote` lines):", "",
                    "| index | queries | p50 ms | p95 ms | p99 ms | errors | empty | timed passes | first query ms "
                    "| warm-up pass s | search_bench wall s |",
                    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
            for k in ("one index", "2 local shards", "2 remote shards"):
                y = x.get(k)
                if y is None:
                    continue
                if "error" in y:
                    out.append(f"| {k} | failed: {y['error'][:200]} |")
                    continue
                out.append(f"| {k} | {y.get('queries', '—')} | {f(y['p50'], 3)} | {f(y['p95'], 3)} | {f(y['p99'], 3)} | {y['errors']} | "
                           f"{y['empty']} | {y.get('runs', '—')} | {f(y.get('first_ms'), 1)} | "
                           f"{f((y.get('warmup_ms') or 0) / 1000 or None, 1)} | {f(y.get('search_bench_wall_s'), 1)} |")
            out += ["", "The remote row takes the first queries of each kind (`BENCH_REMOTE_PER_KIND`): a phrase "
                        "over remote shards reads each candidate's position stream with a round trip."]
            out += ["", f"`vigie-index --full --shards 2`: {ix['wall_s']:.1f} s, peak RSS "
                        f"{ix['peak_rss_kb'] / 1024:.0f} MB, {ix['index_bytes'] / 2**20:.0f} MB."]
            rows = [k for k in ("one index", "2 local shards", "2 remote shards") if x.get(k, {}).get("by_kind_p50")]
            kinds = sorted({kind for k in rows for kind in x[k]["by_kind_p50"]})
            if kinds:
                out += ["", "p50 ms by kind of query:", "", "| kind | " + " | ".join(rows) + " |",
                        "|---|" + "--:|" * len(rows)]
                out += [f"| {kind} | " + " | ".join(f(x[k]["by_kind_p50"].get(kind), 3) for k in rows) + " |"
                        for kind in kinds]
    return (["### Scale rows (Vigie)", ""] + out + [""]) if out else []


def main():
    doc = json.load(open(sys.argv[1]))
    m = doc["meta"]
    out = [f"# Vigie benchmarks — {m['date']}", "",
           f"{m['cores']} cores; load average before {m['load_before'][0]:.1f}, after {m['load_after'][0]:.1f} "
           f"(other engineers' builds share the machine: compare the same-run ratios, not absolute times). "
           f"Indexing: median of {m['runs']} runs; queries: median of {m['query_runs']} timed passes after a "
           f"warm-up pass; HTTP: median of 3 wrk runs of {m['http_seconds']} s. Total {m['minutes']:.0f} min.", ""]
    out += [peers_line(doc["results"]), ""]
    out += scale_targets(doc["results"])
    out += targets(doc["results"])
    out += growth(doc["results"])
    for r in doc["results"]:
        title = "real corpus (../shared/corpus)" if r["corpus"] == "real" else f"{r['corpus']} generated documents"
        out += [f"## {title}", "", f"Input: {r['input_bytes'] / 2**20:.1f} MB of files in `{r['path']}`.", "",
                "### Indexing", ""] + indexing_table(r) + ["", "### Queries (in-process, top 10 + extracts; Vigie also facets)", ""]
        out += query_table(r) + ["", "### HTTP (wrk, keep-alive, single-word queries)", ""] + http_table(r) + [""]
        out += scale_section(r)
    open(sys.argv[2], "w").write("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
