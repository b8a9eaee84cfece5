#!/usr/bin/env python3
"""Validate the topic evaluation set and the topic taxonomy, then run a naive baseline.

    python3 eval/topics/check_set.py                # checks + per-topic baseline table
    python3 eval/topics/check_set.py --errors 5     # also list up to 5 misses/false alarms per topic
    python3 eval/topics/check_set.py --item ID      # show which phrases fire on one item
    python3 eval/topics/check_set.py --subset eval/topics/heldout.txt   # baseline on a subset of ids

Standard library only (tomllib: Python >= 3.11). Exit status 1 if the set or the taxonomy
fails a check; the baseline figures are reported, never enforced.

Naive baseline: every phrase of a topic is matched case-insensitively on word boundaries in
title + text (`cased` entries case-sensitively); a trailing `*` lets the phrase run on into a
longer word; a space matches any run of whitespace. Each distinct phrase that matches scores
3 points if it is `strong` or `cased` (as highsignal.rank.topics reads `cased`), 1 if it is
supporting (`phrases`). A topic is predicted when it reaches 3 points.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ITEMS = HERE / "items.jsonl"
TOML = HERE.parents[1] / "src" / "highsignal" / "rank" / "topics.toml"

KEYS = {"id", "title", "text", "url", "topics", "provenance"}
MAX_TEXT = 3000
MAX_TOPICS = 3
MIN_ITEMS = 120
MIN_PRIMARY = 4
PHRASES_PER_TOPIC = (25, 80)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
PHRASE_RE = re.compile(r"^[\w][\w .'/@#&+-]*\*?$")  # no regex syntax; `*` only at the end
STRONG, SUPPORT = 3, 1
THRESHOLD = 3


# ---------------------------------------------------------------------------- taxonomy


def load_taxonomy(path: Path, errors: list[str]) -> dict[str, dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        errors.append(f"{path}: does not parse: {e}")
        return {}
    if not isinstance(data.get("version"), str):
        errors.append("topics.toml: `version` missing or not a string")
    topics = data.get("topics")
    if not isinstance(topics, dict) or not topics:
        errors.append("topics.toml: no [topics.*] tables")
        return {}
    for tid, t in topics.items():
        where = f"topics.{tid}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", tid):
            errors.append(f"{where}: id is not snake_case")
        for key in ("label", "description"):
            v = t.get(key)
            if not isinstance(v, str) or not v.strip():
                errors.append(f"{where}: `{key}` missing or empty")
            elif "\n" in v:
                errors.append(f"{where}: `{key}` must be one line")
        for key in ("strong", "phrases"):
            if not isinstance(t.get(key), list) or not t[key]:
                errors.append(f"{where}: `{key}` missing or empty")
        if "cased" in t and not isinstance(t["cased"], list):
            errors.append(f"{where}: `cased` must be a list")
        unknown = set(t) - {"label", "description", "strong", "phrases", "cased"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        seen: dict[str, str] = {}
        for key in ("strong", "phrases", "cased"):
            for p in t.get(key, []) or []:
                if not isinstance(p, str) or not p.strip() or p != p.strip():
                    errors.append(f"{where}.{key}: bad entry {p!r}")
                    continue
                if not PHRASE_RE.match(p) or "  " in p:
                    errors.append(f"{where}.{key}: {p!r} has characters outside the phrase syntax")
                if key != "cased" and p != p.lower():
                    errors.append(f"{where}.{key}: {p!r} is not lower-case (put acronyms in `cased`)")
                norm = p if key == "cased" else p.lower()
                if norm in seen:
                    errors.append(f"{where}: {p!r} appears twice (in `{seen[norm]}` and `{key}`)")
                seen[norm] = key
    return topics


def phrase_pattern(phrase: str, cased: bool) -> re.Pattern[str]:
    star = phrase.endswith("*")
    body = phrase[:-1] if star else phrase
    rx = r"\s+".join(re.escape(w) for w in body.split())
    if body[0].isalnum() or body[0] == "_":
        rx = r"(?<!\w)" + rx
    if star:
        rx += r"\w*"
    elif body[-1].isalnum() or body[-1] == "_":
        rx += r"(?!\w)"
    return re.compile(rx, 0 if cased else re.IGNORECASE)


class Matcher:
    """The naive baseline: distinct phrase hits, strong/cased=3, supporting=1, predict at >=3."""

    def __init__(self, topics: dict[str, dict]):
        self.rules: dict[str, list[tuple[str, int, re.Pattern[str]]]] = {}
        for tid, t in topics.items():
            rules = [(p, STRONG, phrase_pattern(p, False)) for p in t.get("strong", [])]
            rules += [(p, SUPPORT, phrase_pattern(p, False)) for p in t.get("phrases", [])]
            rules += [(p, STRONG, phrase_pattern(p, True)) for p in t.get("cased", []) or []]
            self.rules[tid] = rules

    def hits(self, text: str) -> dict[str, list[tuple[str, int]]]:
        out = {}
        for tid, rules in self.rules.items():
            found = [(p, w) for p, w, rx in rules if rx.search(text)]
            if found:
                out[tid] = found
        return out

    def scores(self, text: str) -> dict[str, int]:
        return {tid: sum(w for _, w in h) for tid, h in self.hits(text).items()}

    def predict(self, text: str) -> set[str]:
        return {tid for tid, s in self.scores(text).items() if s >= THRESHOLD}


# ---------------------------------------------------------------------------- items


def load_items(path: Path, topic_ids: set[str], errors: list[str]) -> list[dict]:
    items, ids = [], Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"items.jsonl:{n}"
        try:
            it = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: not JSON: {e}")
            continue
        if not isinstance(it, dict):
            errors.append(f"{where}: not an object")
            continue
        if set(it) != KEYS:
            errors.append(f"{where}: keys {sorted(it)} != {sorted(KEYS)}")
        iid = it.get("id")
        if not isinstance(iid, str) or not ID_RE.match(iid):
            errors.append(f"{where}: bad id {iid!r}")
        ids[iid] += 1
        for key in ("title", "text", "provenance"):
            if not isinstance(it.get(key), str) or not it[key].strip():
                errors.append(f"{where} ({iid}): `{key}` missing or empty")
        if isinstance(it.get("text"), str) and len(it["text"]) > MAX_TEXT:
            errors.append(f"{where} ({iid}): text is {len(it['text'])} chars (max {MAX_TEXT})")
        url = it.get("url")
        if url is not None and not (isinstance(url, str) and re.match(r"https?://\S+$", url)):
            errors.append(f"{where} ({iid}): url must be an http(s) URL or null")
        tops = it.get("topics")
        if not isinstance(tops, list) or len(tops) > MAX_TOPICS:
            errors.append(f"{where} ({iid}): topics must be a list of at most {MAX_TOPICS} ids")
            tops = []
        if len(set(tops)) != len(tops):
            errors.append(f"{where} ({iid}): repeated topic")
        for t in tops:
            if t not in topic_ids:
                errors.append(f"{where} ({iid}): unknown topic {t!r}")
        items.append(it)
    for iid, c in ids.items():
        if c > 1:
            errors.append(f"id {iid!r} used {c} times")
    return items


# ---------------------------------------------------------------------------- report


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=Path, default=ITEMS)
    ap.add_argument("--toml", type=Path, default=TOML)
    ap.add_argument("--errors", type=int, default=0, help="list up to N misses and false alarms per topic")
    ap.add_argument("--item", help="show the phrase hits and scores for one item id")
    ap.add_argument(
        "--subset", type=Path, help="score the baseline only on the ids listed in this file (one a line, # comments)"
    )
    args = ap.parse_args(argv)

    errors: list[str] = []
    warnings: list[str] = []
    topics = load_taxonomy(args.toml, errors)
    items = load_items(args.items, set(topics), errors)

    # ---- taxonomy report
    print(f"taxonomy {args.toml.name}: {len(topics)} topics")
    owners: dict[str, list[str]] = defaultdict(list)
    for tid, t in topics.items():
        n_strong, n_sup, n_cased = len(t.get("strong", [])), len(t.get("phrases", [])), len(t.get("cased", []) or [])
        lo, hi = PHRASES_PER_TOPIC
        if not lo <= n_strong + n_sup <= hi:
            warnings.append(f"topics.{tid}: {n_strong + n_sup} strong+supporting phrases (aim {lo}-{hi})")
        print(f"  {tid:17} strong {n_strong:3}  supporting {n_sup:3}  cased {n_cased:2}  {t.get('label', '')}")
        for key in ("strong", "phrases"):
            for p in t.get(key, []):
                owners[p.lower()].append(f"{tid}.{'strong' if key == 'strong' else 'supp'}")
        for p in t.get("cased", []) or []:
            owners[p].append(f"{tid}.cased")
    shared = {p: o for p, o in owners.items() if len({x.split(".")[0] for x in o}) > 1}
    print(f"phrases shared across topics: {len(shared)}")
    for p, o in sorted(shared.items()):
        print(f"  {p!r}: {', '.join(o)}")

    # ---- item counts
    labelled = [it for it in items if it.get("topics")]
    distractors = [it for it in items if not it.get("topics")]
    primary = Counter(it["topics"][0] for it in labelled)
    anyl = Counter(t for it in labelled for t in it["topics"])
    print(f"\nitems: {len(items)} ({len(labelled)} labelled, {len(distractors)} off-topic distractors with no topic)")
    print(f"labels per labelled item: {sum(len(it['topics']) for it in labelled) / max(1, len(labelled)):.2f}")
    print(f"  {'topic':17} {'primary':>7} {'any':>5}")
    for tid in topics:
        print(f"  {tid:17} {primary[tid]:7} {anyl[tid]:5}")
        if primary[tid] < MIN_PRIMARY:
            errors.append(f"topic {tid}: {primary[tid]} items with it as primary (need >= {MIN_PRIMARY})")
    if len(labelled) < MIN_ITEMS:
        errors.append(f"only {len(labelled)} labelled items (need >= {MIN_ITEMS})")

    if errors:
        print("\nERRORS:")
        for e in errors:
            print("  " + e)
    for w in warnings:
        print("warning: " + w)
    if not topics or not items:
        return 1

    # ---- naive baseline
    m = Matcher(topics)
    if args.item:
        it = next((x for x in items if x["id"] == args.item), None)
        if it is None:
            print(f"no item {args.item!r}")
            return 1
        text = it["title"] + "\n" + it["text"]
        print(f"\n{it['id']}: labels {it['topics']}")
        for tid, h in sorted(m.hits(text).items(), key=lambda kv: -sum(w for _, w in kv[1])):
            s = sum(w for _, w in h)
            mark = "PRED" if s >= THRESHOLD else "    "
            print(f"  {mark} {tid:17} {s:3}  " + ", ".join(f"{p}{'*3' if w == STRONG else ''}" for p, w in h))
        return 1 if errors else 0

    scored = items
    if args.subset:
        wanted = {
            ln.strip()
            for ln in args.subset.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")
        }
        unknown = wanted - {it["id"] for it in items}
        if unknown:
            print(f"\nERROR: {args.subset} names unknown ids {sorted(unknown)}")
            return 1
        scored = [it for it in items if it["id"] in wanted]
        print(f"\nbaseline restricted to {len(scored)} items listed in {args.subset}")
    labelled_scored = [it for it in scored if it["topics"]]
    tp, fp, fn = Counter(), Counter(), Counter()
    misses, alarms = defaultdict(list), defaultdict(list)
    primary_hit = 0
    n_pred = 0
    for it in scored:
        gold = set(it["topics"])
        pred = m.predict(it["title"] + "\n" + it["text"])
        n_pred += len(pred)
        if it["topics"] and it["topics"][0] in pred:
            primary_hit += 1
        for t in topics:
            if t in gold and t in pred:
                tp[t] += 1
            elif t in pred:
                fp[t] += 1
                alarms[t].append(it["id"])
            elif t in gold:
                fn[t] += 1
                misses[t].append(it["id"])
    print(f"\nnaive baseline (strong and cased={STRONG}, supporting={SUPPORT}, predict at >= {THRESHOLD} points)")
    print(f"  {'topic':17} {'P':>5} {'R':>5} {'F1':>5}   tp  fp  fn")
    f1s = []
    for t in topics:
        p, r, f = prf(tp[t], fp[t], fn[t])
        f1s.append(f)
        print(f"  {t:17} {p:5.2f} {r:5.2f} {f:5.2f}  {tp[t]:3} {fp[t]:3} {fn[t]:3}")
    mp, mr, mf = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"  {'micro':17} {mp:5.3f} {mr:5.3f} {mf:5.3f}")
    present = [f for t, f in zip(topics, f1s, strict=True) if tp[t] + fn[t]]
    macro = sum(present) / max(1, len(present))
    print(f"  {'macro F1':17} {'':5} {'':5} {macro:5.3f}   (mean over the {len(present)} topics with gold labels here)")
    print(
        f"  primary topic predicted for {primary_hit}/{len(labelled_scored)} labelled items;"
        f" {n_pred / len(scored):.2f} topics predicted per item"
    )
    if args.errors:
        for t in topics:
            if misses[t] or alarms[t]:
                print(f"\n  {t}: missed {misses[t][: args.errors]}  false alarms {alarms[t][: args.errors]}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
