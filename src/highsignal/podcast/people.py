"""Who is on an episode, and on which other episodes and shows they appear.

Podcasts name people in three places of very different reliability: the
``podcast:person`` tags (explicit, rare), the episode title ("... — with
Nicholas Carlini, Google DeepMind", common) and transcript speaker labels. A
person index across shows is only worth having if "Dr. Lex Fridman" and
"lex  fridman" are one entry and "with GPT-4" or "with the team" is none, so
every name is keyed by :func:`person_key` and a name guessed from a title must
pass a name-shape test first. Precision matters more than recall here: a
missed guest costs a link in the index, a product filed as a person misleads.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..extract.lexicon import GROUPS
from ..records import FeedMeta, Item

#: Roles an appearance can have, most to least specific; also the order roles are listed in.
ROLES = ("host", "guest", "speaker", "other")

#: Where an appearance was read, most to least reliable: the earlier one wins when two agree.
ORIGINS = ("podcast:person", "title", "transcript")


@dataclass(slots=True, frozen=True)
class Appearance:
    """One person on one episode, with the name as the source wrote it.

    ``role`` is one of :data:`ROLES`; ``origin`` is one of :data:`ORIGINS`;
    ``org`` is the affiliation the title gave ("of Elicit"), when it gave one.
    """

    name: str
    role: str
    origin: str
    org: str | None = None

    @property
    def key(self) -> str:
        return person_key(self.name)


@dataclass(slots=True)
class PersonEntry:
    """One person across every episode and show that names them.

    ``episodes`` and ``shows`` are item and source ids in the order they were
    first seen; ``orgs`` are the affiliations titles gave them.
    """

    key: str
    name: str
    roles: list[str] = field(default_factory=list)
    episodes: list[int] = field(default_factory=list)
    shows: list[int] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Keys

_HONORIFICS = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame", "rev", "hon"})
_SUFFIXES = frozenset({"phd", "md", "msc", "mba", "esq", "dphil"})
_KEY_JUNK = re.compile(r"[^\w'\-]+")


def person_key(name: str) -> str:
    """The form two spellings of one person's name share.

    Case, diacritics, dots, commas and spacing are folded and honorifics and
    degrees dropped, so "Dr. Timothée  Darcet, PhD" and "timothee darcet"
    match. Initials are joined ("J. R. R." and "J.R.R." both give "jrr")
    because feeds write them both ways.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'").replace(".", "")
    tokens = [t.strip("'-") for t in _KEY_JUNK.sub(" ", text).split()]
    tokens = [t for t in tokens if t]
    while tokens and tokens[0] in _HONORIFICS:
        tokens.pop(0)
    while tokens and tokens[-1] in _SUFFIXES:
        tokens.pop()
    return " ".join(_join_initials(tokens))


def _join_initials(tokens: list[str]) -> list[str]:
    out: list[str] = []
    in_run = False  # whether out[-1] is a run of single-letter initials
    for t in tokens:
        if len(t) == 1 and t.isalpha():
            if in_run:
                out[-1] += t
            else:
                out.append(t)
            in_run = True
        else:
            out.append(t)
            in_run = False
    return out


# ---------------------------------------------------------------------------
# What a person's name looks like

# Lower-case particles inside names ("Ursula von der Leyen", "Vincent van Gogh").
_PARTICLES = frozenset("de da di del der den van von la le du dos bin al ter".split())

# Title-case words that are not names: AI-podcast vocabulary, common English title words and
# model-variant names. A two-word capitalised phrase made of these ("Final Thoughts",
# "Open Source", "Claude Code") is the commonest false positive of a name guess.
_GENERIC = frozenset(
    """
    a an the this that these those our your my his her their its we you us them it all every some any no
    new old big small best top first last next final more most how why what when where who which is are
    and or but not vs versus part episode ep special bonus live recap review update news weekly daily
    monthly edition season series guide intro introduction outro panel roundtable debate interview
    conversation chat talk talks show podcast pod team friends everyone guests guest host hosts listeners
    community people folks
    ai agi asi ml llm llms gpt model models agent agents agentic data dataset datasets code coding coder
    compute gpu gpus chip chips cloud open source weights research science learning deep machine machines
    neural network networks reasoning inference training scaling safety alignment policy robotics robot
    robots vision language languages speech audio voice video image images chatbot chatbots search engine
    engines product products startup startups company companies founder founders engineer engineers
    engineering developer developers software hardware infrastructure platform platforms api apis app apps
    tool tools benchmark benchmarks eval evals evaluation paper papers transformer transformers diffusion
    attention memory context token tokens prompt prompts prompting world future state year years day days
    week era age frontier summit conference fair meetup workshop lab labs inc corp ventures capital partners
    foundation institute university college school group systems technologies studio studios hugging face
    space spaces latent pro ultra flash turbo mini nano opus sonnet haiku instruct base preview
    release launch demo thoughts lessons notes takes hot take truth truths secrets rise fall end beginning
    story stories history inside behind beyond making building breaking everything nothing something
    anything good bad great real hard easy fast slow free cheap human humans life love war peace money
    game games art design business market markets economy economics finance health medicine bio
    biology physics math mathematics crypto web internet mobile edge local global
    nsfw sota rag rlhf moe
    """.split()
)

# Organisations whose names look like a person's ("Google DeepMind", "Hugging Face"): a
# comma after a guest's name is as often followed by one of these as by another guest.
_ORG_WORDS = frozenset(
    """
    google deepmind openai anthropic meta microsoft nvidia apple amazon aws ibm intel amd mistral cohere
    stability inflection perplexity databricks mosaic mosaicml together replicate groq cerebras xai
    midjourney runway adept elicit cursor github gradient liquid nous websim brightwave salesforce oracle
    netflix uber tesla spacex stanford berkeley mit cmu harvard oxford cambridge princeton
    """.split()
)

# Single-word product and model names from the lexicon ("Llama", "Mistral", "Copilot") are
# not surnames; a few of them are also common given names and stay allowed.
_NAME_LIKE_PRODUCTS = frozenset({"claude", "yi", "bloom", "bert", "roberta", "dolly", "hermes", "falcon", "solar"})
_PRODUCTS = frozenset(
    key.lower()
    for kind in ("closed", "open_model", "library")
    for key in GROUPS.get(kind, {})
    if key.replace(" ", "").isalpha() and key.lower() not in _NAME_LIKE_PRODUCTS
)

_INITIAL = re.compile(r"[A-Z]\.?(?:[A-Z]\.?)*")


def looks_like_person(name: str) -> bool:
    """Whether ``name`` has the shape of a person's full name.

    Two to four capitalised words (honorifics aside), each with a lower-case
    letter or an initial, no digits, none of them a generic title word, an
    organisation or a product. A single word is refused: "with Code" and
    "with Swyx" cannot be told apart from the title alone.
    """
    tokens = name.split()
    while tokens and tokens[0].rstrip(".").lower() in _HONORIFICS:
        tokens.pop(0)
    while tokens and tokens[-1].rstrip(".,").replace(".", "").lower() in _SUFFIXES:
        tokens.pop()
    if not 2 <= len(tokens) <= 4:
        return False
    if person_key(" ".join(tokens)) in _PRODUCTS:
        return False
    initials = 0
    for i, token in enumerate(tokens):
        bare = token.strip(",")
        if bare.lower() in _PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if _INITIAL.fullmatch(bare):
            initials += 1
            continue
        if not _name_word(bare):
            return False
        folded = person_key(bare)
        if folded in _GENERIC or folded in _ORG_WORDS or folded in _PRODUCTS:
            return False
    # "J. R." alone is not a name, and a name does not end in an initial.
    return initials < len(tokens) and not _INITIAL.fullmatch(tokens[-1])


def _name_word(token: str) -> bool:
    """A capitalised word of letters (and ' or -), with at least one lower-case letter: not "NSFW", not "GPT-4"."""
    if len(token) > 3 and token[0].islower() and token[1] in "'’" and token[2].isupper():
        token = token[2:]  # an elided particle: "d'Sa", "d’Alembert"
    if not token or not token[0].isupper() or not token[0].isalpha():
        return False
    if not all(c.isalpha() or c in "'’-" for c in token):
        return False
    return any(c.islower() for c in token)


# ---------------------------------------------------------------------------
# Titles

_SEPARATOR = r"(?:\s[—–-]\s|\s?[—–]\s?|\s\|\s?|:\s|\s//\s)"
# Triggers that say a guest list follows ("— with", "ft.", "Interview with"). Trigger words
# match in any case; the names after them are checked case-sensitively.
_STRONG = re.compile(
    r"(?:^|(?<=[\s(\[]))(?i:ft\.|ft|feat\.|featuring|w/)\s+"
    r"|(?:^|" + _SEPARATOR + r"|[(\[])\s*(?i:with)\s+"
    r"|\b(?i:interview|conversation|chat|talk|talking|fireside chat|catching up|sitting down|q&a|ama)\s+(?i:with)\s+"
)
# A "with" in running title text ("Scaling with ...") names a guest only when it also names
# their organisation or a topic: "Scaling laws with Jared Kaplan (Anthropic)", "... with Andrej
# Karpathy on Software 2.0".
_WEAK = re.compile(r"\s(?i:with)\s+")
_TAIL_END = re.compile(_SEPARATOR + r"|\s\[|\s#\d")
_NAME_ON = re.compile(r"(?:^|" + _SEPARATOR + r")((?:[^\s—–|:,]+\s){1,4}?)on\s+\S")
_ORG_MARK = re.compile(r"\s+(?:of|from|at|@)\s+|\s*@\s*")
_TOPIC_MARK = re.compile(r"\s+(?:on|about|talks?|discuss(?:es)?|explains?|returns)\s+|:\s")
# "(Part 2)", "(Live)", "(Ep. 12)" after a name are not where the guest works; "LiveKit" is.
_NOT_ORG = re.compile(
    r"(?i)^(?:(?:part|pt|ep|episode|vol|season|live|rerun|repost|replay|encore|video|audio)\b|s\d|#|\d)"
)


def title_guests(title: str, show_title: str | None = None) -> list[Appearance]:
    """The guests an episode title names, with their organisations when it says.

    ``show_title`` keeps "Episode | The Show Name" from reading the show's
    name as a guest.
    """
    title = " ".join(title.split())
    found: list[Appearance] = []
    strong_spans: list[tuple[int, int]] = []
    for m in _STRONG.finditer(title):
        tail = _tail(title, m.end())
        strong_spans.append((m.start(), m.end()))
        found += _guest_list(tail, need_context=False)
    for m in _WEAK.finditer(title):
        if any(s <= m.start() + 1 < e for s, e in strong_spans):
            continue  # this "with" already opened a strong trigger ("— with")
        found += _guest_list(_tail(title, m.end()), need_context=True)
    for m in _NAME_ON.finditer(title):
        if looks_like_person(m.group(1).strip()):
            found.append(Appearance(m.group(1).strip(), "guest", "title"))
    found += _pipe_segments(title, show_title)
    return _dedupe(found)


def _tail(title: str, start: int) -> str:
    end = _TAIL_END.search(title, start)
    return title[start : end.start() if end else len(title)]


def _pipe_segments(title: str, show_title: str | None) -> list[Appearance]:
    """Names in " | NAME" or " | NAME, ORG" segments, as in "Machines, Creativity & Love | Dr. Lex Fridman"."""
    show = person_key(show_title or "")
    out: list[Appearance] = []
    for segment in title.split(" | ")[1:]:
        key = person_key(segment)
        if not key or (show and (key in show or show in key)):
            continue
        name, _, org = segment.partition(", ")
        name = name.strip()
        if looks_like_person(name):
            out.append(Appearance(name, "guest", "title", _clean_org(org) if org else None))
    return out


def _guest_list(tail: str, *, need_context: bool) -> list[Appearance]:
    """People in "A of X, B (Y) & C": split on commas and "and", outside parentheses.

    A piece that is not a person but follows one with no organisation is that
    person's organisation ("Nicholas Carlini, Google DeepMind"); organisations
    after the last of several names joined by "&" belong to all of them
    ("James Brady & Adam Wiggins of Elicit"). ``need_context`` keeps only
    people whose organisation or topic the title also gives.
    """
    out: list[Appearance] = []
    pending: list[int] = []  # indexes of people joined by "&"/"and" still waiting for an organisation
    for piece, joiner in _split_list(_balance(tail)):
        name, org, topical = _name_and_org(piece)
        if looks_like_person(name):
            if need_context and not (org or topical):
                continue
            if joiner == "," or not pending:
                pending = []
            out.append(Appearance(name, "guest", "title", org))
            if org:
                for i in pending:
                    out[i] = Appearance(out[i].name, out[i].role, out[i].origin, org)
                pending = []
            else:
                pending.append(len(out) - 1)
            continue
        org = _clean_org(piece)
        if joiner == "," and out and out[-1].org is None and org:
            out[-1] = Appearance(out[-1].name, out[-1].role, out[-1].origin, org)
            continue
        if joiner in ("&", "and") and out and out[-1].org:
            # "of Ink & Switch": the organisation's own name held an ampersand.
            last = out[-1]
            out[-1] = Appearance(last.name, last.role, last.origin, f"{last.org} & {piece.strip()}")
            continue
        break  # prose after the list: nothing more to read
    return out


def _balance(text: str) -> str:
    """Drop closing brackets that close nothing: "ft. Graham Neubig, Moritz Hardt)" was cut from a longer title."""
    depth = 0
    kept: list[str] = []
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                continue
            depth -= 1
        kept.append(c)
    return "".join(kept).strip()


def _split_list(text: str) -> list[tuple[str, str]]:
    """``text`` split on ", ", " & ", " and ", " + " outside parentheses, each piece with the joiner before it."""
    pieces: list[tuple[str, str]] = []
    depth, start, joiner, i = 0, 0, "", 0
    while i < len(text):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            for sep, name in ((", ", ","), (" & ", "&"), (" and ", "and"), (" + ", "&")):
                if text.startswith(sep, i):
                    pieces.append((text[start:i], joiner))
                    joiner, start = name, i + len(sep)
                    i = start - 1
                    break
        i += 1
    pieces.append((text[start:], joiner))
    return [(p.strip(), j) for p, j in pieces if p.strip()]


def _name_and_org(piece: str) -> tuple[str, str | None, bool]:
    """ "Mike Conover of Brightwave" -> ("Mike Conover", "Brightwave", False); "Jared Kaplan (Anthropic)" likewise.

    The flag says a topic followed the name ("Andrej Karpathy on Software 2.0"),
    which, like an organisation, tells a guest from a thing in running text.
    """
    topic = _TOPIC_MARK.search(piece)
    if topic:
        piece = piece[: topic.start()]
    paren = re.fullmatch(r"(.+?)\s*\(([^)]*)\)\s*", piece)
    if paren:
        return paren.group(1).strip(), _clean_org(paren.group(2)), topic is not None
    mark = _ORG_MARK.search(piece)
    if mark:
        return piece[: mark.start()].strip(), _clean_org(piece[mark.end() :]), topic is not None
    return piece.strip(), None, topic is not None


def _clean_org(text: str) -> str | None:
    org = text.strip().strip(".,;:)(").strip()
    if not org or _NOT_ORG.match(org) or len(org.split()) > 6:
        return None
    if not (org[0].isupper() or org[0].isdigit()):
        return None
    return org


# ---------------------------------------------------------------------------
# Tags and transcripts


def _tag_role(role: str | None) -> str:
    # The podcast namespace's default role is "host"; its taxonomy has many crew roles we fold to "other".
    r = " ".join((role or "host").lower().replace("-", " ").split())
    if r in ("host", "co host", "cohost", "guest host"):
        return "host"
    if r in ("guest", "speaker"):
        return r
    return "other"


# Diarisation placeholders and generic labels: no person to index.
_PLACEHOLDER = re.compile(r"(?i)^(?:speaker|spk|person|voice|participant|unknown|s|guest|host)[\s_-]*(?:\d+|[a-z])?$")
_LABELS = frozenset(
    """
    host co-host cohost guest interviewer interviewee narrator announcer moderator audience voiceover
    voice-over intro outro ad ads music crowd everyone both all unidentified unknown other others
    """.split()
)


def transcript_speakers(item: Item) -> list[Appearance]:
    """The speakers a transcript labels, in order of first turn, placeholders left out."""
    seen: set[str] = set()
    out: list[Appearance] = []
    for seg in item.transcript:
        label = " ".join((seg.speaker or "").split()).strip(":")
        key = person_key(label)
        if not key or key in seen or key in _LABELS or _PLACEHOLDER.match(label) or any(c.isdigit() for c in label):
            continue
        seen.add(key)
        out.append(Appearance(label, "speaker", "transcript"))
    return out


def people_for_episode(item: Item, show: FeedMeta | None) -> list[Appearance]:
    """Everyone an episode names, once each, from its most reliable mention.

    ``podcast:person`` tags come first (the item's own, then the show's hosts,
    who are on every episode), then guests named in the title, then transcript
    speakers. A transcript label that is only a first name ("Nicholas") joins
    the one full name it starts ("Nicholas Carlini") rather than standing alone.
    """
    found = [Appearance(" ".join(p.name.split()), _tag_role(p.role), "podcast:person") for p in item.persons]
    if show is not None:
        found += [
            Appearance(" ".join(p.name.split()), "host", "podcast:person")
            for p in show.persons
            if _tag_role(p.role) == "host"
        ]
    if item.title:
        found += title_guests(item.title, show.title if show else None)
    found += transcript_speakers(item)
    return _dedupe(found)


def author_hosts(author: str | None) -> dict[str, str]:
    """The names a show's author line lists ("swyx + Alessio"), by person key: its hosts, on most feeds."""
    if not author:
        return {}
    names = re.split(r"\s*(?:\+|&|,|/|\band\b)\s*", author)
    return {person_key(n): n.strip() for n in names if n.strip() and len(n.split()) <= 4}


def _dedupe(found: list[Appearance]) -> list[Appearance]:
    merged: dict[str, Appearance] = {}
    for app in found:
        key = app.key
        if not key:
            continue
        if key not in merged and " " not in key and app.origin == "transcript":
            fuller = [k for k in merged if k.split(" ", 1)[0] == key]
            if len(fuller) == 1:
                key = fuller[0]
        have = merged.get(key)
        if have is None:
            merged[key] = app
        elif have.org is None and app.org:
            merged[key] = Appearance(have.name, have.role, have.origin, app.org)
    return list(merged.values())


# ---------------------------------------------------------------------------
# The index across shows


def person_index(episodes: Iterable[tuple[int, int, Item]], shows: dict[int, FeedMeta]) -> dict[str, PersonEntry]:
    """Every person named on ``episodes`` (``(item_id, source_id, item)``), keyed by :func:`person_key`.

    A single-word name read from a transcript ("Alessio") is left out: across
    shows it would merge strangers who share a first name. The display name is
    the spelling used most often, the first seen on a tie.
    """
    index: dict[str, PersonEntry] = {}
    spellings: dict[str, Counter[str]] = {}
    for item_id, source_id, item in episodes:
        for app in people_for_episode(item, shows.get(source_id)):
            key = app.key
            if " " not in key and app.origin == "transcript":
                continue
            entry = index.setdefault(key, PersonEntry(key, app.name))
            spellings.setdefault(key, Counter())[app.name] += 1
            if app.role not in entry.roles:
                entry.roles.append(app.role)
            if item_id not in entry.episodes:
                entry.episodes.append(item_id)
            if source_id not in entry.shows:
                entry.shows.append(source_id)
            if app.org and app.org not in entry.orgs:
                entry.orgs.append(app.org)
    for key, entry in index.items():
        entry.roles.sort(key=ROLES.index)
        # most_common keeps insertion order on ties, so the first spelling seen wins those.
        entry.name = spellings[key].most_common(1)[0][0]
    return index
