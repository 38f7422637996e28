#!/usr/bin/env python3
"""Makes the judging pool of the hard collection: for each query, the union of
the top --depth documents of the given runs (one document per family: files
holding the same text are judged once), written as one Markdown file per query
that a judge reads quickly: the query, its intent, and for each document its
id, title, date, type, the start of its text and the passages around the
query's words. The documents are in id order, not in any ranker's order, and
the file does not say which ranker found them (blind judging).

  pool.py --runs-dir DIR [--runs vigie,lucene,xapian] [--depth 20] [--out pool/]
  pool.py --runs-dir DIR --runs vigie-new --unjudged --out /tmp/extra
      # extends the pool for a new ranking: only documents of families nobody
      # has judged yet for that query (judgments/qNNN.tsv); a query with none
      # gets no file.

DIR holds the run files (NAME.tsv: query id<TAB>rank<TAB>doc id<TAB>score)
and, unless --docs, docs.jsonl, as rankers.py writes them; families.tsv is
the collection's (the pool's runs are in runs/).
"""

import argparse
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
HEAD_CHARS = 600
PASSAGE_CHARS = 160
MAX_PASSAGES = 4


def read_run(path):
    """query id -> hits in rank order, each hit the ids of its rows (rows of
    one rank are one hit: Vigie's hit and the files shown with it)."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and not (len(parts) > 4 and parts[4] == "merged"):
                rows.setdefault(parts[0], {}).setdefault(int(parts[1]), []).append(parts[2])
    return {qid: [ids for _, ids in sorted(hits.items())] for qid, hits in rows.items()}


def read_families(path):
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f if "\t" in line)


def read_judgments(folder, qid):
    """doc id -> grade from judgments/qNNN.tsv (missing file: nothing)."""
    path = os.path.join(folder, qid + ".tsv")
    grades = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and parts[1].strip() in ("0", "1", "2"):
                    grades[parts[0].strip()] = int(parts[1])
    return grades


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


STOP = set("""a au aux avec ce ces comment combien dans de des du elle en est et il la le les leur lui ma mais me
meme mes mon ne nos notre nous on ou par pas pour qu que quel quelle quels quelles qui sa se ses son sur ta te
tes ton tu un une vos votre vous y t ete etre quand pourquoi a-t-elle a-t-il va fait peut existe-t-il""".split())


def query_words(text):
    """The content words of a query (Vigie syntax removed), as folded prefixes
    of at most 6 letters so that plural and verb forms still show."""
    text = re.sub(r"\b[a-zé]+:", " ", text)  # field names
    text = re.sub(r"\b(PROCHE|NEAR|AND|OR|NOT|ET|OU|SAUF)(/\d+)?\b", " ", text)
    words = re.findall(r"[\w]+", fold(text.replace("’", "'").replace("ʼ", "'").replace("‘", "'")))
    out = []
    for w in words:
        if w in STOP or (len(w) < 3 and not w.isdigit()):
            continue
        out.append(w[:6])
    return sorted(set(out), key=len, reverse=True)


def passages(body, words):
    """Up to MAX_PASSAGES windows of the body around the query words, the
    windows that hold the most distinct words first."""
    if not words:
        return []
    folded = fold(body)
    if len(folded) != len(body):  # a character that folds to several: search the body as it is
        folded = body.lower()
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")")
    hits = [(m.start(), m.group(1)) for m in pattern.finditer(folded)]
    windows = []
    for start, _ in hits:
        a, b = max(0, start - PASSAGE_CHARS), min(len(body), start + PASSAGE_CHARS)
        distinct = {w for s, w in hits if a <= s < b}
        windows.append((len(distinct), -start, a, b))
    windows.sort(reverse=True)
    chosen = []
    for _, _, a, b in windows:
        if a < HEAD_CHARS:
            continue  # already in the head
        if all(b <= x or a >= y for x, y in chosen):
            chosen.append((a, b))
        if len(chosen) == MAX_PASSAGES:
            break
    return [body[a:b] for a, b in sorted(chosen)]


def one_line(text):
    return re.sub(r"\s+", " ", text).strip()


def write_pool_file(path, q, docs_by_id, ids, total):
    words = query_words(q["peer"] + " " + q["text"])
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"# {q['id']} ({q['style']}) — {len(ids)} documents to judge"
                  f"{'' if total == len(ids) else f' ({total} in the pool)'}\n\n")
        out.write(f"- Query (Vigie): `{q['text']}`\n")
        if q["peer"] != q["text"]:
            out.write(f"- Query (plain words, the peers): `{q['peer']}`\n")
        out.write(f"- Intent: {q['intent']}\n")
        out.write("- Grades: 2 = answers the question / exactly what was asked; 1 = relevant, partial; "
                  "0 = not relevant.\n")
        out.write(f"- Write `judgments/{q['id']}.tsv`: one line per document, `id<TAB>grade`.\n\n")
        for n, doc_id in enumerate(ids, 1):
            d = docs_by_id.get(doc_id, {"title": "?", "date": "", "type": "", "body": ""})
            out.write(f"## {n}. {doc_id}\n\n")
            out.write(f"**{one_line(d['title'])}** — {d.get('date', '')} — {d.get('type', '')} — "
                      f"{len(d['body'])} characters\n\n")
            head = one_line(d["body"][:HEAD_CHARS])
            out.write(f"> {head}{' …' if len(d['body']) > HEAD_CHARS else ''}\n\n")
            for p in passages(d["body"], words):
                out.write(f"- … {one_line(p)} …\n")
            out.write("\n")
        out.write("## Judgments template\n\n```\n")
        for doc_id in ids:
            out.write(f"{doc_id}\t\n")
        out.write("```\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs-dir", required=True)
    ap.add_argument("--runs", default="vigie,lucene,xapian", help="run names (NAME.tsv in --runs-dir)")
    ap.add_argument("--docs", help="the exported documents (default: DIR/docs.jsonl)")
    ap.add_argument("--families", default=os.path.join(HERE, "families.tsv"),
                    help="id<TAB>family key (default: the collection's families.tsv)")
    ap.add_argument("--depth", type=int, default=20)
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.json"))
    ap.add_argument("--judgments", default=os.path.join(HERE, "judgments"))
    ap.add_argument("--out", default=os.path.join(HERE, "pool"))
    ap.add_argument("--unjudged", action="store_true",
                    help="only documents whose family has no judgment for the query")
    args = ap.parse_args()

    with open(args.queries, encoding="utf-8") as f:
        queries = json.load(f)["queries"]
    families = read_families(args.families)
    docs_by_id = {}
    with open(args.docs or os.path.join(args.runs_dir, "docs.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs_by_id[d["id"]] = d
    runs = [read_run(os.path.join(args.runs_dir, name + ".tsv")) for name in args.runs.split(",")]
    os.makedirs(args.out, exist_ok=True)

    summary, written = [], 0
    for q in queries:
        chosen = {}  # family key -> the id shown (the first met, best ranks first)
        for rank in range(args.depth):
            for run in runs:
                ranked = run.get(q["id"], [])
                for doc_id in ranked[rank] if rank < len(ranked) else []:
                    chosen.setdefault(families.get(doc_id, doc_id), doc_id)
        total = len(chosen)
        if args.unjudged:
            judged = {families.get(d, d) for d in read_judgments(args.judgments, q["id"])}
            chosen = {k: v for k, v in chosen.items() if k not in judged}
        ids = sorted(chosen.values())
        summary.append({"id": q["id"], "pooled": total, "to_judge": ids})
        if ids:
            write_pool_file(os.path.join(args.out, q["id"] + ".md"), q, docs_by_id, ids, total)
            written += 1
    with open(os.path.join(args.out, "pool.json"), "w", encoding="utf-8") as f:
        json.dump({"runs": args.runs.split(","), "depth": args.depth, "queries": summary}, f, ensure_ascii=False,
                  indent=1)
    with open(os.path.join(args.out, "INDEX.md"), "w", encoding="utf-8") as f:
        f.write(f"# Pool: depth {args.depth} of {args.runs}\n\n| query | style | to judge | text |\n|---|---|---|---|\n")
        for q, s in zip(queries, summary):
            if s["to_judge"]:
                f.write(f"| [{q['id']}]({q['id']}.md) | {q['style']} | {len(s['to_judge'])} | `{q['text']}` |\n")
    n = sum(len(s["to_judge"]) for s in summary)
    print(f"pool: {written} files, {n} documents to judge (depth {args.depth}, runs {args.runs}) → {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
