#!/usr/bin/env python3
"""Deterministic French corpus for the benchmarks (never committed).

A word-level Markov chain (order 2) trained on the real deliberations of
../shared/corpus/chemere/pv-json writes N documents of 1-3 KB as Markdown
with front matter (title, date, type, organisation, place) into
OUT/NNN/doc-NNNNNN.md, 1,000 files per folder. Same seed, same corpus, same
bytes. Each file's mtime is set to its date, so that engines which only know
file dates (Omega's omindex) can filter by year too.

usage: gen_corpus.py --size N [--seed S] --out DIR [--corpus DIR]
"""
import argparse
import glob
import json
import os
import random
import re
import sys
import time
import calendar

ORGS = [
    "Commune de Chémeré", "Commune de Saint-Julien-sur-Lisière", "Communauté de communes du Pays de Retz",
    "Département de Loire-Atlantique", "Région Pays de la Loire", "Commune de Bourgneuf-en-Retz",
    "Commune de Vue", "Syndicat intercommunal des eaux de Machecoul", "Commune de Port-Saint-Père",
    "Commune de Frossay", "Commune de Rouans", "Commune de Cheix-en-Retz",
]
TYPES = ["délibération"] * 6 + ["procès-verbal", "communiqué", "arrêté", "rapport"]
WORD = re.compile(r"\S+")


def train(corpus):
    """Returns (chain, starts, titles): chain maps (w1, w2) -> list of next words."""
    chain, starts, titles = {}, [], []
    for path in sorted(glob.glob(os.path.join(corpus, "chemere", "pv-json", "*.json"))):
        with open(path, encoding="utf-8") as f:
            session = json.load(f)
        for d in session.get("deliberations", []):
            title = " ".join(d.get("titre", "").split()).strip("\uf0d8 ")
            if 8 <= len(title) <= 140:
                titles.append(title)
            for line in d.get("text", "").splitlines():
                words = [w for w in WORD.findall(line) if not ("\ue000" <= w[0] <= "\uf8ff")]
                if len(words) < 3:
                    continue
                starts.append((words[0], words[1]))
                for i in range(len(words) - 2):
                    chain.setdefault((words[i], words[i + 1]), []).append(words[i + 2])
                chain.setdefault((words[-2], words[-1]), []).append("\n")
    return chain, starts, titles


def paragraph(rng, chain, starts, max_words):
    w1, w2 = rng.choice(starts)
    out = [w1, w2]
    while len(out) < max_words:
        nxt = rng.choice(chain.get((w1, w2), ["\n"]))
        if nxt == "\n":
            break
        out.append(nxt)
        w1, w2 = w2, nxt
    return " ".join(out)


def document(rng, chain, starts, titles, n):
    target = rng.randint(1024, 3072)
    paras, size = [], 0
    while size < target:
        p = paragraph(rng, chain, starts, rng.randint(20, 120))
        paras.append(p)
        size += len(p.encode("utf-8")) + 2
    body = "\n\n".join(paras)
    raw = body.encode("utf-8")
    if len(raw) > 3072:  # keep 1-3 KB, cut at a space
        cut = raw[:3072].decode("utf-8", "ignore")
        body = cut[: cut.rfind(" ")] if " " in cut else cut
    if rng.random() < 0.7:
        title = rng.choice(titles)
    else:
        title = paragraph(rng, chain, starts, rng.randint(4, 10)).rstrip(" .,;:")
    year = rng.randint(2004, 2023)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    meta = {
        "title": title.replace('"', "'"),
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "type": rng.choice(TYPES),
        "organisation": rng.choice(ORGS),
    }
    meta["place"] = meta["organisation"].split(" de ")[-1] if meta["organisation"].startswith("Commune") else ""
    front = ["---"]
    for k, v in meta.items():
        if v:
            front.append(f'{k}: "{v}"')
    front.append("---")
    return "\n".join(front) + "\n\n" + body + "\n", (year, month, day)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus"))
    a = ap.parse_args()
    stamp = os.path.join(a.out, ".complete")
    want = f"size={a.size} seed={a.seed} v1\n"
    if os.path.exists(stamp) and open(stamp).read() == want:
        print(f"{a.out}: already generated", file=sys.stderr)
        return
    chain, starts, titles = train(a.corpus)
    if not starts:
        sys.exit(f"no deliberations found under {a.corpus}/chemere/pv-json")
    rng = random.Random(a.seed)
    total = 0
    for n in range(a.size):
        text, (y, m, d) = document(rng, chain, starts, titles, n)
        folder = os.path.join(a.out, f"{n // 1000:03d}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"doc-{n:06d}.md")
        data = text.encode("utf-8")
        total += len(data)
        with open(path, "wb") as f:
            f.write(data)
        t = calendar.timegm((y, m, d, 12, 0, 0))
        os.utime(path, (t, t))
    with open(stamp, "w") as f:
        f.write(want)
    print(f"{a.out}: {a.size} documents, {total / 2**20:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
