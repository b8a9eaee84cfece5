"""How well highsignal's topic detection matches the labelled topics.

Runs ``highsignal.rank.topics.detect`` (the code the product uses, with the
bundled taxonomy) on every item of ``items.jsonl`` and reports micro and macro
precision/recall/F1 over the labelled topics, how often the detected primary
topic is one of the labelled ones, and per-topic figures.

    python eval/topics/evaluate.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from highsignal.rank.topics import detect, taxonomy

HERE = Path(__file__).parent


def main() -> int:
    items = [json.loads(line) for line in (HERE / "items.jsonl").read_text().splitlines() if line.strip()]
    tax = taxonomy()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    primary_hit = primary_total = 0
    for d in items:
        gold = set(d["topics"])
        found = detect(d.get("title"), d.get("text") or "")
        predicted = {t for t, _ in found}
        for t in predicted & gold:
            tp[t] += 1
        for t in predicted - gold:
            fp[t] += 1
        for t in gold - predicted:
            fn[t] += 1
        if found:
            primary_total += 1
            primary_hit += found[0][0] in gold

    def prf(t: int, f_p: int, f_n: int) -> tuple[float, float, float]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    per_topic = {t: prf(tp[t], fp[t], fn[t]) for t in tax.topics}
    macro_f1 = sum(f for _, _, f in per_topic.values()) / len(per_topic)
    print(f"items {len(items)}, taxonomy {tax.version} ({len(tax.topics)} topics)")
    print(f"micro precision {micro[0]:.3f} recall {micro[1]:.3f} F1 {micro[2]:.3f}; macro F1 {macro_f1:.3f}")
    print(f"primary topic among the labels: {primary_hit}/{primary_total} ({primary_hit / max(1, primary_total):.0%})")
    print(f"{'topic':<20} {'P':>6} {'R':>6} {'F1':>6}  (tp fp fn)")
    for t, (p, r, f) in per_topic.items():
        print(f"{t:<20} {p:6.2f} {r:6.2f} {f:6.2f}  ({tp[t]} {fp[t]} {fn[t]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
