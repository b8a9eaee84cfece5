"""Ranking, personal model and story clustering on a 100k-item store.

Needs the synthetic store from ``bench/make_rank_store.py`` (100,000 AI items
from ~300 sources over two years, with ground-truth stories). Works on a copy,
so ratings made here never touch the cached store. "Now" is the newest item.

Measured, each repeated and reported as median and p95:

1. The digest's ranking step (``Library.digest``: load the window, pre-rank,
   corroboration and stories for the shortlist, pick and load the shown
   items) for the default 7-day window, and for all 100k items; then end to
   end including the JSON shaping and the HTML rendering. Goals: 200 ms p50
   for ranking, 1 s end to end.
2. A personal-model update after a new rating (``Library.rate``: store the
   rating, warm-start the model over the rated items, save it). Peer, side by
   side: arxiv-sanity-lite's per-request step, a linear SVM fitted on the
   cached TF-IDF matrix of every item and then scoring them all (its authors
   quote about 1.6 s per request on 30k papers). Goal: 100 ms.
3. Clustering every item into stories (``Library.stories`` over all time),
   with pair precision and recall against the generator's ground truth.

    bench/.venv/bin/python bench/rank_bench.py [--store bench/data/rank/store.sqlite] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import highsignal
from highsignal.present.digest import digest_json, to_html

BENCH = Path(__file__).resolve().parent


def stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(values) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms   (n={len(values)})"


def timed(fn, runs: int) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t0)
    return out, result


def pair_scores(predicted: dict[int, str], truth: dict[int, str]) -> tuple[float, float]:
    """Pair precision and recall of a clustering, from contingency counts (no pair enumeration)."""

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    both = Counter((predicted[i], truth[i]) for i in predicted if i in truth)
    tp = sum(pairs(n) for n in both.values())
    pred_pairs = sum(pairs(n) for n in Counter(predicted.values()).values())
    true_pairs = sum(pairs(n) for n in Counter(truth.values()).values())
    return (tp / pred_pairs if pred_pairs else float("nan"), tp / true_pairs if true_pairs else float("nan"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=BENCH / "data" / "rank" / "store.sqlite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-peer", action="store_true", help="Skip the arxiv-sanity-lite peer (needs scikit-learn).")
    args = parser.parse_args()
    if not args.store.exists():
        print(f"{args.store} missing: run bench/make_rank_store.py first", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="hs-rank-bench-"))
    db = tmp / "store.sqlite"
    shutil.copy(args.store, db)
    lib = highsignal.open(db)
    try:
        n_items = lib.store.count_items()
        t0 = time.perf_counter()
        lib.assess_pending()
        print(
            f"store: {n_items:,} items, {len(lib.sources())} sources (catch-up assess {time.perf_counter() - t0:.1f} s)"
        )
        now = max(c.when for c in lib.store.candidates())
        since = now - timedelta(days=7)
        titles = {s.id: s.title or s.url for s in lib.sources()}

        # 1. digest
        lib.digest(since, now=now)  # warm the page cache and the config
        ranking, digest = timed(lambda: lib.digest(since, top=20, now=now), args.runs)
        print(f"\n1. digest, 7-day window ({digest.considered:,} items considered)")
        print(f"   ranking step          {stats(ranking)}   goal p50 <= 200 ms")

        def end_to_end():
            d = lib.digest(since, top=20, now=now)
            return to_html(digest_json(d, titles))

        e2e, page = timed(end_to_end, args.runs)
        print(f"   end to end with HTML  {stats(e2e)}   goal p50 <= 1 s  ({len(page) / 1024:.0f} KB page)")
        everything, d_all = timed(lambda: lib.digest(None, top=20, now=now), max(3, args.runs // 2))
        print(f"   ranking, all {d_all.considered:,} items  {stats(everything)}")

        # 2. personal model
        rng = random.Random(7)
        ids = [c.item_id for c in lib.store.candidates(now - timedelta(days=60))]
        for item_id in rng.sample(ids, 40):
            lib.rate(item_id, rng.choice(("up", "down")))
        picks = iter(rng.sample(ids, args.runs * 3))
        updates, model = timed(lambda: lib.rate(next(picks), rng.choice(("up", "down")))[1], args.runs * 3)
        print(f"\n2. personal model update after a rating ({model.ratings} ratings, {n_items:,} items in store)")
        print(f"   highsignal rate       {stats(updates)}   goal p50 <= 100 ms")
        cands = lib.store.candidates()
        scoring, _ = timed(lambda: model.score([c.features for c in cands]), 3)
        print(f"   (scoring all {len(cands):,} items with the model: {stats(scoring)})")
        if not args.no_peer:
            peer = arxiv_sanity_peer(lib, ratings=lib.store.ratings(), runs=3)
            if peer:
                ratio = statistics.median(peer) / statistics.median(updates)
                print(f"   arxiv-sanity-lite SVM {stats(peer)}   highsignal {ratio:,.0f}x faster (p50)")

        # 3. stories over everything
        cluster_times, found = timed(lambda: lib.stories(None), 1)
        print(f"\n3. stories over all {n_items:,} items: {cluster_times[0]:.1f} s, {len(found):,} stories")
        quality(lib, found, args.store.parent)
    finally:
        lib.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def arxiv_sanity_peer(lib, ratings: dict[int, int], runs: int) -> list[float] | None:
    try:
        from sklearn import svm
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError:
        print("   (peer skipped: scikit-learn is not installed in this venv; bash bench/setup.sh)")
        return None
    rows = lib.store._db.execute("SELECT id, coalesce(title, '') || ' ' || coalesce(summary, '') FROM items").fetchall()
    order = [r[0] for r in rows]
    # arxiv-sanity-lite computes its TF-IDF matrix offline and caches it: not timed, as there.
    vectorizer = TfidfVectorizer(
        input="content", encoding="utf-8", decode_error="replace", strip_accents="unicode", lowercase=True,
        analyzer="word", stop_words="english", token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2), max_features=20000, norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True,
        max_df=0.1, min_df=5,
    )  # fmt: skip
    x = vectorizer.fit_transform([r[1] for r in rows])
    liked = {i for i, v in ratings.items() if v > 0}

    def request():
        y = [1 if i in liked else 0 for i in order]
        clf = svm.LinearSVC(class_weight="balanced", verbose=False, max_iter=10000, tol=1e-6, C=0.01)
        clf.fit(x, y)
        return clf.decision_function(x)

    times, _ = timed(request, runs)
    return times


def quality(lib, stories, out_dir: Path) -> None:
    truth_file = out_dir / "truth.jsonl"
    if not truth_file.exists():
        print("   (no truth.jsonl: precision/recall skipped)")
        return
    by_key = {}
    roundups = set()
    for line in truth_file.read_text().splitlines():
        d = json.loads(line)
        if d.get("story"):
            by_key[(d["feed"], d["guid"])] = str(d["story"])
        elif d.get("mentions"):
            # A round-up covering several stories belongs with each of them: left out of the score.
            roundups.add((d["feed"], d["guid"]))
    sources = {s.id: Path(s.url.removeprefix("file://")).name for s in lib.sources()}
    truth: dict[int, str] = {}
    skipped = 0
    for item_id, source_id, key in lib.store._db.execute("SELECT id, source_id, key FROM items"):
        ref = (sources.get(source_id), key)
        if ref in roundups:
            skipped += 1
            continue
        story = by_key.get(ref)
        truth[item_id] = story if story else f"single-{item_id}"
    predicted = {i: f"single-{i}" for i in truth}
    for s in stories:
        for member in s.items:
            if member.item_id in predicted:
                predicted[member.item_id] = s.id
    precision, recall = pair_scores(predicted, truth)
    print(
        f"   pair precision {precision:.3f}  recall {recall:.3f} against the generator's stories "
        f"({skipped:,} multi-story round-ups not scored)"
    )


if __name__ == "__main__":
    sys.exit(main())
