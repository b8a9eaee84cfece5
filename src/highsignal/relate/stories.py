"""Stories: items from different sources about the same thing.

A wrong merge hides news, so every way two items can *link* is narrow:

- they are about the same artefact (an ``a:`` key: the same Hub repo, arXiv
  paper or GitHub repository), or the same named model (an ``e:`` key, from
  the title or from prose that keeps naming it), and fall within
  ``WINDOW`` of the first item to do so. Coverage that trails a launch by
  weeks still links; a model named again a year later starts a new story
  rather than chaining everything that ever named it.
- they carry the same title, from different publishers, within two weeks
  (cross-posts, syndication);
- their texts are near-duplicates: a shared MinHash band proposes the pair and
  the signatures must then agree on at least ``NEAR_DUPLICATE`` of their slots.

Keys too common to name one thing are skipped: more than ``GENERIC`` items in
the window, or a link one source repeats in many of its own posts (a footer
link to the lab's GitHub organisation).

Links become stories by average linkage, not by chaining: two groups merge
only when at least half of the pairs between them are linked. One post that
covers both Llama 3 and Llama 3.1 links one item of each story; it does not
fuse the two stories.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from ..records import Story, StoryItem
from .keys import similarity

WINDOW = timedelta(days=60)
TITLE_WINDOW = timedelta(days=14)
DUPLICATE_WINDOW = timedelta(days=30)
NEAR_DUPLICATE = 0.6
GENERIC = 40
BOILERPLATE = 3  # a key one publisher repeats in more items than this is its boilerplate


@dataclass(slots=True)
class Node:
    """One item as clustering sees it."""

    member: StoryItem
    keys: list[str]
    minhash: bytes | None = None


def _describe(key: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "a":
        return f"same artefact ({value})"
    if kind == "e":
        return f"same model named ({value})"
    if kind == "t":
        return "same title"
    return "near-duplicate text"


def joins(key: str) -> bool:
    """Whether a key can link two items into a story (``l:`` keys only point, they never join)."""
    return key.startswith(("a:", "e:", "t:")) or (key[0] == "m" and key[1].isdigit())


def links(nodes: list[Node]) -> dict[tuple[int, int], str]:
    """Every linked pair of item ids (smaller id first), with the key that links them."""
    holders: dict[str, list[Node]] = defaultdict(list)
    for n in nodes:
        for key in n.keys:
            if joins(key):
                holders[key].append(n)
    found: dict[tuple[int, int], str] = {}
    add = found.setdefault

    # Strongest evidence first, so a pair is explained by its best key; then by key, so the
    # stories do not depend on the order the store happened to return rows in.
    for key in sorted(holders, key=lambda k: ("atem".index(k[0]), k)):
        members = holders[key]
        if len(members) < 2 or len(members) > GENERIC:
            continue
        members.sort(key=lambda n: (n.member.published is None, n.member.published, n.member.item_id))
        kind = key[0]
        if kind in "ae":
            publishers = {m.member.publisher for m in members}
            if len(publishers) == 1 and len(members) > BOILERPLATE:
                continue
            group: list[int] = [members[0].member.item_id]
            first = members[0]
            for m in members[1:]:
                if _apart(first, m) > WINDOW:
                    group, first = [], m  # too long after: the next story about this thing starts here
                b = m.member.item_id
                # Pairs are written out here rather than through a helper: a window's worth of
                # coverage of one model is hundreds of pairs, and this runs on every digest.
                for a in group:
                    add((a, b) if a < b else (b, a), key)
                group.append(b)
        elif kind == "t":
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if a.member.publisher != b.member.publisher and _apart(a, b) <= TITLE_WINDOW:
                        _link(found, a, b, key)
        else:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if (
                        a.minhash
                        and b.minhash
                        and _apart(a, b) <= DUPLICATE_WINDOW
                        and similarity(a.minhash, b.minhash) >= NEAR_DUPLICATE
                    ):
                        _link(found, a, b, key)
    return found


def _link(found: dict[tuple[int, int], str], a: Node, b: Node, key: str) -> None:
    x, y = a.member.item_id, b.member.item_id
    found.setdefault((x, y) if x < y else (y, x), key)


def cluster(nodes: list[Node]) -> list[Story]:
    """The stories among ``nodes``: groups of two or more items, most independent sources first."""
    by_id = {n.member.item_id: n for n in nodes}
    linked = links(nodes)
    adjacency: dict[int, set[int]] = defaultdict(set)
    for a, b in linked:
        adjacency[a].add(b)
        adjacency[b].add(a)
    members: dict[int, set[int]] = {i: {i} for i in by_id}
    owner: dict[int, int] = {i: i for i in by_id}
    refused: set[tuple[int, int, int, int]] = set()
    for a, b in linked:
        ca, cb = owner[a], owner[b]
        if ca == cb:
            continue
        group_a, group_b = members[ca], members[cb]
        # The same two groups meet again through their other links: judge them once per size.
        seen = (ca, cb, len(group_a), len(group_b)) if ca < cb else (cb, ca, len(group_b), len(group_a))
        if seen in refused:
            continue
        small, large = (group_a, group_b) if len(group_a) <= len(group_b) else (group_b, group_a)
        between = sum(len(adjacency[x] & large) for x in small)
        if 2 * between < len(group_a) * len(group_b):
            refused.add(seen)
            continue  # a bridge between two stories, not one story
        keep, gone = (ca, cb) if len(group_a) >= len(group_b) else (cb, ca)
        for x in members[gone]:
            owner[x] = keep
        members[keep] |= members.pop(gone)

    # Each story's reasons: the keys of the links inside it, strongest first (one pass over the links).
    keys_of: dict[int, list[str]] = defaultdict(list)
    for (a, b), key in linked.items():
        if owner[a] == owner[b]:
            keys_of[owner[a]].append(key)
    stories = []
    for story_owner, ids in members.items():
        if len(ids) < 2:
            continue
        group = sorted(
            (by_id[i] for i in ids), key=lambda n: (n.member.published is None, n.member.published, n.member.item_id)
        )
        items = [n.member for n in group]
        reasons = list(dict.fromkeys(_describe(key) for key in dict.fromkeys(keys_of[story_owner])))
        stories.append(
            Story(
                id=f"s{min(ids)}",
                title=items[0].title or "(untitled)",
                items=items,
                independent_sources=len({i.publisher for i in items}),
                reasons=reasons,
            )
        )
    stories.sort(key=lambda s: (-s.independent_sources, -len(s.items), s.id))
    return stories


def _apart(a: Node, b: Node) -> timedelta:
    if a.member.published is None or b.member.published is None:
        return timedelta(0)
    return abs(a.member.published - b.member.published)
