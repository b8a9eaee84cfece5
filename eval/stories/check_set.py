#!/usr/bin/env python3
"""Validate the story-clustering evaluation set (eval/stories/).

Stdlib only. Checks items.jsonl and pairs.jsonl:

* items: required fields and types, slug ids, unique ids, ISO dates, http(s)
  URLs, text length (<= 4000 chars), links as a list of strings, optional
  boolean ``constructed``;
* pairs: required fields and types, both ids exist, no self pairs, no
  duplicate (unordered) pairs, ``kind`` drawn from the positive vocabulary when
  ``same`` is true and from the negative vocabulary when it is false;
* consistency: positives are closed under transitivity as far as negatives are
  concerned -- no negative pair may join two items that the positive pairs
  connect (directly or through a chain);
* coverage: every item appears in at least one pair; at least 160 pairs and at
  least 60 positives; every required kind is present.

Prints counts and exits non-zero on any error.

    python3 eval/stories/check_set.py [--dir eval/stories]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

POSITIVE_KINDS = {"shared_artefact", "prose_only", "near_duplicate", "similar_title"}
NEGATIVE_KINDS = {
    "same_org_different_model",  # Llama 3 vs Llama 3.1, GPT-4 vs GPT-4o, Mistral 7B vs Mixtral
    "shared_link_different_story",  # both link the same repo/paper/page, different stories
    "derivative_different_story",  # merge / reproduction / fine-tune vs its parent
    "mentioned_in_passing",  # a model named in passing in an unrelated item
    "same_topic_different_story",  # e.g. two different RLHF items, two MCP tutorials
    "same_source_different_story",  # consecutive posts of one source
    "ubiquitous_link",  # both link huggingface/transformers, cite AIAYN, link a leaderboard
}
REQUIRED_KINDS = POSITIVE_KINDS | {
    "same_org_different_model",
    "mentioned_in_passing",
    "same_topic_different_story",
    "same_source_different_story",
    "ubiquitous_link",
    "shared_link_different_story",
}
ITEM_FIELDS = {
    "id": str,
    "source": str,
    "publisher": str,
    "title": str,
    "url": str,
    "published": (str, type(None)),
    "text": str,
    "links": list,
    "provenance": str,
}
OPTIONAL_ITEM_FIELDS = {"constructed": bool, "constructed_why": str}
PAIR_FIELDS = {"a": str, "b": str, "same": bool, "kind": str, "why": str}
SLUG = re.compile(r"^[a-z0-9][a-z0-9.\-]*[a-z0-9]$")
DOMAIN = re.compile(r"^[a-z0-9\-]+(\.[a-z0-9\-]+)+$")
MAX_TEXT = 4000
MIN_PAIRS, MIN_POSITIVES = 160, 60


def load_jsonl(path: Path, errors: list[str]) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                errors.append(f"{path.name}:{n}: blank line")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{path.name}:{n}: invalid JSON ({exc})")
                continue
            if not isinstance(row, dict):
                errors.append(f"{path.name}:{n}: not a JSON object")
                continue
            row["_line"] = n
            rows.append(row)
    return rows


def check_items(items: list[dict], errors: list[str]) -> dict[str, dict]:
    by_id: dict[str, dict] = {}
    for it in items:
        where = f"items.jsonl:{it['_line']}"
        for key, typ in ITEM_FIELDS.items():
            if key not in it:
                errors.append(f"{where}: missing field {key!r}")
            elif not isinstance(it[key], typ):
                errors.append(f"{where}: field {key!r} has type {type(it[key]).__name__}")
        for key in it:
            if key != "_line" and key not in ITEM_FIELDS and key not in OPTIONAL_ITEM_FIELDS:
                errors.append(f"{where}: unexpected field {key!r}")
        for key, typ in OPTIONAL_ITEM_FIELDS.items():
            if key in it and not isinstance(it[key], typ):
                errors.append(f"{where}: field {key!r} must be {typ.__name__}")
        if it.get("constructed") and not it.get("constructed_why"):
            errors.append(f"{where}: constructed item needs 'constructed_why'")
        iid = it.get("id")
        if not isinstance(iid, str):
            continue
        where = f"items.jsonl:{it['_line']} ({iid})"
        if not SLUG.match(iid):
            errors.append(f"{where}: id is not a lowercase slug")
        if iid in by_id:
            errors.append(f"{where}: duplicate id (first at line {by_id[iid]['_line']})")
        by_id[iid] = it
        for key in ("source", "title", "provenance", "text"):
            if isinstance(it.get(key), str) and not it[key].strip():
                errors.append(f"{where}: empty {key}")
        pub = it.get("publisher")
        if isinstance(pub, str) and not DOMAIN.match(pub):
            errors.append(f"{where}: publisher {pub!r} is not a bare domain")
        url = it.get("url")
        if isinstance(url, str) and not re.match(r"^https?://\S+$", url):
            errors.append(f"{where}: url is not http(s)")
        date = it.get("published")
        if isinstance(date, str):
            try:
                if dt.date.fromisoformat(date).isoformat() != date:
                    raise ValueError
            except ValueError:
                errors.append(f"{where}: published {date!r} is not YYYY-MM-DD")
        text = it.get("text")
        if isinstance(text, str) and len(text) > MAX_TEXT:
            errors.append(f"{where}: text has {len(text)} chars (> {MAX_TEXT})")
        links = it.get("links")
        if isinstance(links, list):
            if not all(isinstance(u, str) and u.strip() for u in links):
                errors.append(f"{where}: links must be non-empty strings")
            if len(set(links)) != len(links):
                errors.append(f"{where}: duplicate entries in links")
    return by_id


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def positive_path(adj: dict[str, set[str]], a: str, b: str) -> list[str]:
    """Shortest chain of positive pairs from a to b (for error messages)."""
    prev = {a: None}
    queue = [a]
    for node in queue:
        if node == b:
            break
        for nxt in sorted(adj[node]):
            if nxt not in prev:
                prev[nxt] = node
                queue.append(nxt)
    path, node = [], b
    while node is not None:
        path.append(node)
        node = prev.get(node)
    return path[::-1]


def check_pairs(pairs: list[dict], by_id: dict[str, dict], errors: list[str]):
    seen: dict[frozenset, int] = {}
    uf = UnionFind()
    adj: dict[str, set[str]] = defaultdict(set)
    valid = []
    for p in pairs:
        where = f"pairs.jsonl:{p['_line']}"
        ok = True
        for key, typ in PAIR_FIELDS.items():
            if key not in p:
                errors.append(f"{where}: missing field {key!r}")
                ok = False
            elif not isinstance(p[key], typ):
                errors.append(f"{where}: field {key!r} has type {type(p[key]).__name__}")
                ok = False
        for key in p:
            if key != "_line" and key not in PAIR_FIELDS:
                errors.append(f"{where}: unexpected field {key!r}")
        if not ok:
            continue
        a, b = p["a"], p["b"]
        where = f"pairs.jsonl:{p['_line']} ({a} / {b})"
        for x in (a, b):
            if x not in by_id:
                errors.append(f"{where}: unknown item id {x!r}")
                ok = False
        if a == b:
            errors.append(f"{where}: self pair")
            ok = False
        key = frozenset((a, b))
        if key in seen:
            errors.append(f"{where}: duplicate pair (first at line {seen[key]})")
            ok = False
        seen[key] = p["_line"]
        vocab = POSITIVE_KINDS if p["same"] else NEGATIVE_KINDS
        if p["kind"] not in vocab:
            errors.append(f"{where}: kind {p['kind']!r} not allowed for same={p['same']}")
        if not p["why"].strip():
            errors.append(f"{where}: empty why")
        if ok:
            valid.append(p)
            if p["same"]:
                uf.union(a, b)
                adj[a].add(b)
                adj[b].add(a)
    for p in valid:
        if not p["same"] and uf.find(p["a"]) == uf.find(p["b"]):
            chain = " ~ ".join(positive_path(adj, p["a"], p["b"]))
            errors.append(
                f"pairs.jsonl:{p['_line']}: negative {p['a']} / {p['b']} contradicts the positive chain {chain}"
            )
    return valid, uf


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default=str(Path(__file__).resolve().parent))
    args = ap.parse_args()
    root = Path(args.dir)
    errors: list[str] = []
    items = load_jsonl(root / "items.jsonl", errors)
    pairs = load_jsonl(root / "pairs.jsonl", errors)
    by_id = check_items(items, errors)
    valid, uf = check_pairs(pairs, by_id, errors)

    used = {p["a"] for p in valid} | {p["b"] for p in valid}
    for iid in sorted(set(by_id) - used):
        errors.append(f"items.jsonl: item {iid!r} appears in no pair")
    positives = [p for p in valid if p["same"]]
    negatives = [p for p in valid if not p["same"]]
    if len(valid) < MIN_PAIRS:
        errors.append(f"only {len(valid)} valid pairs (need >= {MIN_PAIRS})")
    if len(positives) < MIN_POSITIVES:
        errors.append(f"only {len(positives)} positive pairs (need >= {MIN_POSITIVES})")
    kinds = Counter(p["kind"] for p in valid)
    for kind in sorted(REQUIRED_KINDS - set(kinds)):
        errors.append(f"no pair of kind {kind!r}")

    # Stories = connected components of the positive graph (size >= 2).
    comps: dict[str, list[str]] = defaultdict(list)
    for iid in by_id:
        comps[uf.find(iid)].append(iid)
    stories = [sorted(c) for c in comps.values() if len(c) > 1]
    implied = sum(len(c) * (len(c) - 1) // 2 for c in stories)
    constructed = [i for i in by_id.values() if i.get("constructed")]

    print(
        f"items: {len(by_id)}  (constructed: {len(constructed)}, dated: "
        f"{sum(1 for i in by_id.values() if i.get('published'))}, "
        f"publishers: {len({i.get('publisher') for i in by_id.values()})})"
    )
    print(f"pairs: {len(valid)}  positives: {len(positives)}  negatives: {len(negatives)}")
    print("by kind:")
    for same, label in ((True, "positive"), (False, "negative")):
        for kind, n in sorted(Counter(p["kind"] for p in valid if p["same"] is same).items()):
            print(f"  {label:8} {kind:28} {n:4}")
    sizes = Counter(len(c) for c in stories)
    print(
        f"stories (positive components): {len(stories)}  sizes: "
        + ", ".join(f"{s}x{n}" for s, n in sorted(sizes.items()))
    )
    print(f"positive pairs implied by transitivity: {implied} (labelled: {len(positives)})")
    print(f"singleton items (negatives only): {sum(1 for c in comps.values() if len(c) == 1)}")
    if errors:
        print(f"\nFAILED with {len(errors)} error(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
