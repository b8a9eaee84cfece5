"""Precision and recall of story clustering on the labelled pairs.

Each item of ``items.jsonl`` goes through the same stages as a stored item
(extract, then the relate stage's keys), all items are clustered together, and
a labelled pair counts as predicted-same when both items land in one story.
Only labelled pairs are scored: an unlabelled pair is unjudged, not "different".

    python eval/stories/evaluate.py [--verbose]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from highsignal.extract import extract
from highsignal.records import Item, StoryItem
from highsignal.relate.keys import relation
from highsignal.relate.stories import Node, cluster

HERE = Path(__file__).parent


def load() -> tuple[dict[str, dict], list[dict]]:
    items = {}
    for line in (HERE / "items.jsonl").read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            items[d["id"]] = d
    pairs = [json.loads(line) for line in (HERE / "pairs.jsonl").read_text().splitlines() if line.strip()]
    return items, pairs


def nodes(items: dict[str, dict]) -> tuple[list[Node], dict[int, str]]:
    out, names = [], {}
    for n, (key, d) in enumerate(items.items(), 1):
        published = datetime.fromisoformat(d["published"]).replace(tzinfo=UTC) if d.get("published") else None
        text = d.get("text") or ""
        item = Item(
            key=key,
            title=d.get("title"),
            url=d.get("url"),
            text=text,
            links=list(d.get("links") or []),
            published=published,
            content_hash=hashlib.sha1(text.encode()).hexdigest(),
        )
        rel = relation(item, extract(item))
        member = StoryItem(
            n, n, d.get("source"), d.get("publisher") or d.get("source") or key, d.get("title"), d.get("url"), published
        )
        out.append(Node(member, rel.keys, rel.minhash))
        names[n] = key
    return out, names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", "-v", action="store_true", help="List wrong merges and misses.")
    args = parser.parse_args()
    items, pairs = load()
    t0 = time.perf_counter()
    built, names = nodes(items)
    stories = cluster(built)
    elapsed = time.perf_counter() - t0
    story_of = {names[i.item_id]: s.id for s in stories for i in s.items}
    reasons = {s.id: s.reasons for s in stories}

    tp = fp = fn = tn = 0
    by_kind: Counter[tuple[str, str]] = Counter()
    wrong = []
    for p in pairs:
        sa, sb = story_of.get(p["a"]), story_of.get(p["b"])
        predicted = sa is not None and sa == sb
        if p["same"] and predicted:
            tp += 1
            by_kind[(p["kind"], "hit")] += 1
        elif p["same"]:
            fn += 1
            by_kind[(p["kind"], "miss")] += 1
        elif predicted:
            fp += 1
            by_kind[(p["kind"], "wrong merge")] += 1
            wrong.append((p, reasons.get(sa)))
        else:
            tn += 1
            by_kind[(p["kind"], "kept apart")] += 1
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    print(f"items {len(items)}, labelled pairs {len(pairs)} ({tp + fn} same, {fp + tn} different)")
    print(f"stories found: {len(stories)} (clustering took {elapsed * 1000:.0f} ms including extraction)")
    print(f"pair precision {precision:.3f}  recall {recall:.3f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn})")
    print("by kind:")
    for kind in sorted({k for k, _ in by_kind}):
        counts = ", ".join(f"{outcome} {n}" for (k, outcome), n in sorted(by_kind.items()) if k == kind)
        print(f"  {kind:<28} {counts}")
    if args.verbose:
        for p, why in wrong:
            print(f"WRONG MERGE {p['a']} ~ {p['b']} ({p['kind']}): {why}")
        for p in pairs:
            if p["same"] and not (story_of.get(p["a"]) and story_of.get(p["a"]) == story_of.get(p["b"])):
                print(f"MISS {p['a']} ~ {p['b']} ({p['kind']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
