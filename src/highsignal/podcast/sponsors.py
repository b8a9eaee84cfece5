"""Ad reads and promotion in show notes and transcripts, with offsets to highlight.

R7 asks who benefits from an item. A podcast's sponsor read, discount code,
affiliate link or conference plug does not make the episode wrong, but the
listener should see it next to the claims. Precision matters more than
recall: "sponsored by the NSF" in an acknowledgement is a funding disclosure,
"support tickets" are not event tickets and "with code examples" is not a
coupon, and marking any of them as an ad would teach readers to ignore the
flag.

One Aho-Corasick pass (the extractor's :class:`PhraseIndex`) finds the
trigger phrases; each hit is then confirmed, or dropped, by looking only at
the sentence around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from ..extract.artefacts import classify
from ..extract.claims import sentence_bounds
from ..extract.scan import PhraseIndex, lower_same_length
from ..records import Mention

#: The kinds of finding, in the order a reader would rank them as "someone paid for this".
KINDS = ("sponsor", "discount_code", "affiliate", "event_promo", "self_promo")


@dataclass(slots=True, frozen=True)
class Sponsorship:
    """One ad read or promotion; ``text[start:end] == quote``.

    ``sponsor`` is who is promoted: the advertiser for an ad read, discount
    code or affiliate link (its host when only a link names it), the event's
    name for an event promotion. ``code`` is a discount code to type.
    """

    kind: str
    sponsor: str | None
    code: str | None
    start: int
    end: int
    quote: str


# ---------------------------------------------------------------------------
# Trigger phrases, by the handler that confirms them

_PHRASES: dict[str, list[str]] = {
    # An advertiser's name follows.
    "named": [
        "brought to you by",
        "sponsored by",
        "sponsored in part by",
        "today's sponsor",
        "today's sponsors",
        "todays sponsor",
        "this week's sponsor",
        "this week's sponsors",
        "this episode's sponsor",
        "this episode's sponsors",
        "our sponsor",
        "our sponsors",
        "episode sponsor",
        "episode sponsors",
        "sponsors:",
        "sponsor:",
        "support for this podcast comes from",
        "support for this episode comes from",
        "support for this show comes from",
        "support for the show comes from",
        "support for the podcast comes from",
        # Weak: an ad only when the clause's subject is the episode ("This episode is presented by").
        "presented by",
        "supported by",
        "made possible by",
        "underwritten by",
    ],
    # Ad labels that name no one.
    "bare": ["#ad", "#sponsored", "paid partnership", "paid promotion", "sponsored content", "sponsored episode"],
    "code": [
        "promo code",
        "discount code",
        "coupon code",
        "offer code",
        "use code",
        "using code",
        "enter code",
        "with code",
    ],
    "off": ["% off", "percent off", "dollars off", "bucks off", "pounds off", "euros off"],
    "goto": ["go to", "go over to", "head to", "head over to", "visit", "check out", "sign up at"],
    "url": "?ref= &ref= ?via= &via= ?aff* &aff* ?fpr= &fpr= ?referral* &referral* ?tag= &tag= utm_ /partner*".split(),
    "disclosure": [
        "affiliate link",
        "affiliate links",
        "as an amazon associate",
        "earn a commission",
        "earn a small commission",
        "earns a commission",
        "earn an affiliate commission",
    ],
    # "The early bird gets the worm" is not a ticket tier: these need a price or an event in their sentence.
    "early": ["early bird", "early-bird"],
    "event": [
        "register now",
        "register today",
        "registration is open",
        "registration is now open",
        "registrations are open",
        "get your tickets",
        "get your ticket",
        "grab your tickets",
        "grab your ticket",
        "grab a ticket",
        "buy tickets",
        "buy your tickets",
        "buy your ticket",
        "get tickets",
        "tickets are on sale",
        "tickets on sale",
        "tickets are now on sale",
        "tickets are now available",
        "discount on tickets",
        "off tickets",
    ],
    # An event promotion only when an event noun follows ("join the team" is hiring, not an event).
    "join": [
        "join us at",
        "join us in",
        "join us for",
        "join us on",
        "join the",
        "join our",
        "see you at",
        "come join us",
        "come to our",
    ],
    # "Thanks to Notion for sponsoring this episode" is a read; "get in touch for sponsoring" is the show selling.
    "sponsoring": ["for sponsoring"],
    "self": [
        "get full access to",
        "become a paid subscriber",
        "become a paying subscriber",
        "upgrade to paid",
        "upgrade to a paid",
        "paid subscribers get",
        "support us on patreon",
        "on patreon",
        "patreon.com/",
        "buymeacoffee.com/",
        "buy me a coffee",
        "interested in sponsoring",
        "become a sponsor",
        "sponsorship inquiries",
        "sponsorship opportunities",
        "sponsor the show",
        "sponsor the podcast",
        "sponsor this podcast",
        "advertise with us",
        "advertising inquiries",
    ],
}
_WEAK_NAMED = frozenset({"presented by", "supported by", "made possible by", "underwritten by"})
_LISTING = frozenset({"our sponsors", "today's sponsors", "this week's sponsors", "this episode's sponsors"})
_LISTING |= frozenset({"episode sponsors", "sponsors:", "sponsor:"})

_INDEX = PhraseIndex({handler: {p: p.rstrip("*") for p in phrases} for handler, phrases in _PHRASES.items()})

# ---------------------------------------------------------------------------
# Context tests, on the lower-cased text

# The clause is about the episode: "This episode is brought to you by", "Today's show is presented by".
_AD_SUBJECT = re.compile(r"\b(?:episode|show|podcast|pod|video|newsletter|issue|segment|livestream|broadcast)\b")
# The sentence sells something.
_AD_CONTEXT = re.compile(
    r"promo|discount|coupon|\bcode\b|% off|\boff your\b|free trial|listeners|exclusive|\bdeal\b|\boffer\b"
    r"|\bsponsor"
)
# An acknowledgement of research funding, not an ad: who funded, what was funded, or how.
_FUNDING_BODY = re.compile(
    r"\b(?:foundation|fund|agency|council|ministry|department|office|institute|national|federal|government"
    r"|nsf|nih|darpa|iarpa|erc|epsrc|nserc|dfg|doe|onr|afosr|nasa|horizon 2020|european union|university|academy)\b"
)
_FUNDING_WORDS = re.compile(
    r"\b(?:grants?|award(?:ed)?|contract|cooperative agreement|fellowships?|scholarships?|acknowledg\w*|funded"
    r"|funding|ph\.?d|studentship)\b"
)
_FUNDING_SUBJECT = re.compile(
    r"\b(?:work|research|project|study|studies|material|paper|thesis|dissertation|effort|experiments?|authors?"
    r"|lab|laboratory)\b"
)
_DISCOUNT_CONTEXT = re.compile(r"\boff\b|discount|\bsav(?:e|ing)|checkout|\bfree\b|\bdeal\b|coupon|%|[$£€]")
_PURCHASE_CONTEXT = re.compile(
    r"\boff\b|discount|\bsav(?:e|ing)|checkout|\bfree\b|\bdeal\b|coupon|%|[$£€]|\bbuy\b|tickets?|regist|sign up|order"
)
_EVENT_WORDS = re.compile(
    r"\btickets?\b|conference|summit|world's fair|\bmeetup\b|\bexpo\b|hackathon|\bregist(?:er|ration)\b"
)
# "join the conference call" and "join the event loop" are not events.
_EVENT_NOUN = re.compile(
    r"\b(?:meetup|summit|conference|conf|fair|expo|hackathon|workshop|festival|forum|symposium|event|gathering)\b"
    r"(?![ -](?:calls?|loops?|streams?|handlers?|bus|logs?|queues?)\b)"
)
_EARLY_CONTEXT = re.compile(r"ticket|pric|\brates?\b|regist|discount|deadline|\$|€|£|" + _EVENT_NOUN.pattern)
# An event's name: capitalised words ending in an event noun ("AI Engineer World's Fair").
_EVENT_NAME = re.compile(
    r"(?:[A-Z0-9][\w'’.&-]*[ ]){1,5}(?i:summit|conference|conf|fair|meetup|expo|hackathon|festival|forum|symposium)\b"
)

# ---------------------------------------------------------------------------
# Names, codes and links


_LEAD = re.compile(
    r"[ \t]*(?:[:,–—-][ \t]*)?(?:(?:is|are|was|were)[ \t]+)?"
    r"(?:(?:our|my)[ \t]+(?:good[ \t]+)?(?:friends?|partners?|pals)[ \t]+(?:over[ \t]+)?(?:at|from)[ \t]+"
    r"|the[ \t]+(?:good[ \t]+)?(?:folks|team|people)[ \t]+(?:over[ \t]+)?at[ \t]+)?"
    r"(?-i:the[ \t]+(?=[A-Z]))?",
    re.I,
)
_TLD = r"(?:com|ai|io|co|so|org|net|dev|app|fm|xyz|tech|sh)"
_WORD = r"[A-Z0-9][\w&'’.+-]*"
_NAME = re.compile(
    rf"(?:The[ ])?(?:{_WORD}|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.{_TLD}\b)(?:[ ](?:&[ ])?{_WORD}){{0,4}}",
)
_MORE_NAMES = re.compile(r"(?:,[ ]|[ ]and[ ]|[ ]&[ ])")
# Capitalised words that start the next sentence of a transcript with no full stop, not a name.
_STOP_WORDS = frozenset(
    "go visit use get check head try sign download today this that they it we i you to and for with who which "
    "if so now just click".split()
)
_LIST_ENTRY = re.compile(rf"(?:^|(?<=[\s(]))({_WORD}(?:[ ](?:&[ ])?{_WORD}){{0,3}})[ \t]*:[ \t\n]", re.M)
_URL = re.compile(rf"https?://[^\s<>\"')]+|www\.[^\s<>\"')]+|\b[\w-]+(?:\.[\w-]+)*\.{_TLD}/[^\s<>\"')]*", re.I)
_DOMAINISH = re.compile(r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/[^\s]*)?", re.I)
_VANITY = frozenset("podcast pod show listeners listener partner partners offer deal promo".split())

_CODE_AFTER = re.compile(r"[ \t]*(?:is[ \t]+)?:?[ \t]*[\"“'‘]?([A-Za-z0-9][A-Za-z0-9_-]{1,24})(?![\w-])[\"”'’]?")
_CODE_BEFORE = re.compile(r"(?:use|enter|with|using|apply)(?:[ ]the)?[ ]$", re.I)
_CODE_STOP = frozenset(
    "to for at and the a an on in is below above here there when which that you your of from with will can "
    "checkout link provided listed shown mentioned or".split()
)
_CAPS_CODE = re.compile(r"(?=[A-Z0-9_-]*[A-Z])[A-Z0-9][A-Z0-9_-]{2,24}")
_OFF_TAIL = re.compile(r"[^.!?\n]{0,60}?\b(?:off|discount|free)\b(?:[ ]on[ ]\w+)?")
_OFF_VERB = re.compile(r"\b(?:get|save|take|enjoy|receive|for|plus|extra|additional)\b[^.!?\n]{0,30}$")
_OFF_AFTER = re.compile(
    r"[ ](?:your|the first|a|an|annual|all|any|orders?|at checkout|with|when|using|tickets?|registration"
    r"|membership|subscriptions?|your first)\b"
)
_OFF_AMOUNT = re.compile(r"(?:\d+(?:\.\d+)?[ ]?|[a-z]+(?:[ -][a-z]+)?[ ])$")
_ARTICLES = frozenset({"The", "This", "Our", "Your", "A", "An", "Next", "Last"})
_GOTO_TARGET = re.compile(r"[ \t]+(\S+)")
_MONEY_OFF = re.compile(r"[$£€][ ]?\d[\d,.]*[ ]off\b")

_NEAR = 400  # characters within which a call-to-action belongs to the ad read before it


@dataclass(slots=True)
class _Scan:
    """The text being scanned, its lower-cased twin, and the candidates found so far."""

    text: str
    low: str
    found: list[Sponsorship]
    # Candidates that count only when an ad read ends shortly before them (a bare tracking link).
    pending: list[Sponsorship]

    def add(self, kind: str, start: int, end: int, *, sponsor: str | None = None, code: str | None = None) -> None:
        self.found.append(Sponsorship(kind, sponsor, code, start, end, ""))

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return sentence_bounds(self.text, start, end)


def sponsorships(text: str) -> list[Sponsorship]:
    """Every ad read and promotion in ``text``, in text order.

    Kinds are ``sponsor`` (an ad read, one per advertiser named), ``discount_code``,
    ``affiliate`` (referral links and affiliate disclosures), ``event_promo``
    (tickets, registration, "join us at the summit") and ``self_promo`` (the
    show selling itself: paid tiers, Patreon, "get in touch for sponsoring").
    """
    if not text:
        return []
    low = lower_same_length(text).replace("’", "'")
    scan = _Scan(text, low, [], [])
    for m in _INDEX.find(text, low):
        _HANDLERS[m.kind](scan, m)
    for m in _MONEY_OFF.finditer(low):
        _money_off(scan, m.start(), m.end())
    _confirm_pending(scan)
    return _finish(scan)


# ---------------------------------------------------------------------------
# Handlers: each confirms one trigger hit, or drops it


def _named(scan: _Scan, m: Mention) -> None:
    text, low = scan.text, scan.low
    left, right = scan.sentence(m.start, m.end)
    clause, sentence = low[left : m.start], low[left:right]
    ad_subject = _AD_SUBJECT.search(clause) is not None
    if m.key in _WEAK_NAMED and not ad_subject:
        return
    ad = ad_subject or _AD_CONTEXT.search(low, m.end, right) is not None or m.key.startswith("support for")
    if not ad and _is_funding(clause, low[m.end : right], sentence):
        return
    start = left if m.start - left <= 80 else m.start
    listed = _sponsor_list(text, m.end) if m.key in _LISTING else []
    named = listed or _names_after(text, m.end)
    if not named:
        scan.add("sponsor", start, m.end)
        return
    for i, (name, s, e) in enumerate(named):
        scan.add("sponsor", start if i == 0 else s, e, sponsor=name)


def _is_funding(clause: str, after: str, sentence: str) -> bool:
    """A research acknowledgement: "This work was sponsored by the NSF under grant ..."."""
    return bool(_FUNDING_SUBJECT.search(clause) or _FUNDING_BODY.search(after[:120]) or _FUNDING_WORDS.search(sentence))


def _names_after(text: str, at: int) -> list[tuple[str, int, int]]:
    """The advertisers named right after a trigger: "by Notion and Linear", "by our friends at Weights & Biases".

    An ampersand that ends a comma list separates advertisers ("AG1, LMNT &
    Waking Up"); anywhere else it is part of one name ("Weights & Biases").
    """
    out: list[tuple[str, int, int]] = []
    pos = _LEAD.match(text, at).end()
    in_list = False
    while len(out) < 8:
        m = _NAME.match(text, pos)
        if m is None:
            break
        name, end = _trim_name(m.group(0), m.start())
        if name is None:
            break
        more = _MORE_NAMES.match(text, end)
        # "A, B & C": the ampersand is the list's last joiner only when no other joiner follows.
        pieces = name.split(" & ") if in_list and more is None else [name]
        offset = m.start()
        for piece in pieces:
            offset = text.index(piece, offset)
            out.append((piece, offset, offset + len(piece)))
            offset += len(piece)
        if more is None:
            break
        in_list = in_list or more.group(0).startswith(",")
        pos = more.end()
    return out


def _trim_name(raw: str, start: int) -> tuple[str | None, int]:
    """``raw`` without trailing punctuation, possessives or a following sentence's first word."""
    kept: list[str] = []
    for i, w in enumerate(raw.split(" ")):
        if w.lower().strip(".,:;!?") in _STOP_WORDS and not (i == 0 and w == "The"):
            break
        if i and w.strip(".,:;!?").isdigit():
            break  # a chapter's clock time after its title: "Sponsors: AG1 00:07:35 ..."
        kept.append(w)
        if w[-1] in ".,:;!?" and not w.endswith(".."):
            break  # the name ended with its sentence: "Notion. Notion is ..." names Notion once
    name = " ".join(kept)
    while name and name[-1] in ".,:;!?'’":
        name = name[:-1]
    for tail in ("'s", "’s"):
        if name.endswith(tail):
            name = name[: -len(tail)]
    if not name or name == "The":
        return None, start
    return name, start + len(name)


def _sponsor_list(text: str, at: int) -> list[tuple[str, int, int]]:
    """ "AG1: https://... LMNT: https://..." after "our sponsors": one entry per advertiser with a link.

    Each "Name:" must be followed by a link before the next one; the list ends
    at the first entry without one ("Timestamps 00:00 Introduction:").
    """
    window = text[at : at + 2000]
    entries = list(_LIST_ENTRY.finditer(window))
    if not entries or entries[0].start() > 80:
        return []
    out: list[tuple[str, int, int]] = []
    previous_end = None
    for i, e in enumerate(entries):
        if previous_end is not None and window[previous_end : e.start()].strip(" \t\n-*•·|"):
            break  # prose between two entries: the list is over
        stop = entries[i + 1].start() if i + 1 < len(entries) else len(window)
        url = _URL.search(window, e.end(), min(stop, e.end() + 300))
        if url is None:
            break
        out.append((e.group(1), at + e.start(1), at + url.end()))
        previous_end = url.end()
    return out


def _bare(scan: _Scan, m: Mention) -> None:
    scan.add("sponsor", m.start, m.end)


def _code(scan: _Scan, m: Mention) -> None:
    text, low = scan.text, scan.low
    after = _CODE_AFTER.match(text, m.end)
    token = after.group(1) if after else None
    window = low[max(0, m.start - 150) : m.end + 150]
    code: str | None = None
    if m.key in ("use code", "using code", "enter code"):
        # "use code" is ordinary English ("you can use code to ..."): a code here is a code only
        # when it looks like one or the sentence is selling something.
        if token is None or token.lower() in _CODE_STOP:
            return
        if not (any(c.isupper() or c.isdigit() for c in token) or _DISCOUNT_CONTEXT.search(window)):
            return
        code = token
    elif m.key == "with code":
        # "with code examples", "with code and data": only a capitalised code when money is involved.
        if token is None or not _CAPS_CODE.fullmatch(token) or not _PURCHASE_CONTEXT.search(window):
            return
        code = token
    elif token is not None and token.lower() not in _CODE_STOP:
        code = token
    start = m.start
    before = _CODE_BEFORE.search(text, max(0, start - 12), start)
    if before:
        start = before.start()
    end = after.end(1) if code and after else m.end
    tail = _OFF_TAIL.match(text, end)
    if tail:
        end = tail.end()
    scan.add("discount_code", start, end, code=code)


def _off(scan: _Scan, m: Mention) -> None:
    amount = _OFF_AMOUNT.search(scan.low, max(0, m.start - 30), m.start)
    if amount is None or (m.key == "% off" and not amount.group(0).strip()[:1].isdigit()):
        return
    _money_off(scan, amount.start(), m.end)


def _money_off(scan: _Scan, start: int, end: int) -> None:
    """ "get 20% off", "$25 off your first order": a discount offer, when a verb or an order frames it."""
    low = scan.low
    verb = _OFF_VERB.search(low, max(0, start - 40), start)
    if verb is None and _OFF_AFTER.match(low, end) is None:
        return
    scan.add("discount_code", verb.start() if verb else start, end)


def _goto(scan: _Scan, m: Mention) -> None:
    """ "Go to athleticgreens.com/lex": a listener-tracking URL, the call to action of an ad read."""
    text, low = scan.text, scan.low
    token = _GOTO_TARGET.match(text, m.end, m.end + 200)
    if token is None:
        return
    raw = token.group(1).rstrip(".,;:!?)\"'’”")
    if not _DOMAINISH.fullmatch(raw):
        return
    parts = urlsplit(raw if "://" in raw else "//" + raw)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if not host or len(segments) > 1 or classify(raw if "://" in raw else "https://" + raw) is not None:
        return
    start = m.start
    end = token.start(1) + len(raw)
    left, right = scan.sentence(start, end)
    finding = Sponsorship("sponsor", host, None, start, end, "")
    if (segments and segments[0].lower() in _VANITY) or _AD_CONTEXT.search(low, left, right):
        scan.found.append(finding)
    else:
        scan.pending.append(finding)


def _url(scan: _Scan, m: Mention) -> None:
    """A referral or affiliate parameter in a link; tracking parameters count only beside an ad."""
    text, low = scan.text, scan.low
    start, end = m.start, m.end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(<\"'[":
        start -= 1
    while end < len(text) and not text[end].isspace() and text[end] not in ")>\"']":
        end += 1
    raw = text[start:end].rstrip(".,;:!?")
    end = start + len(raw)
    parts = urlsplit(raw if "://" in raw else "//" + raw)
    host = (parts.hostname or "").removeprefix("www.")
    if "." not in host or classify(raw if "://" in raw else "https://" + raw) is not None:
        return
    keys = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    segments = [s.lower() for s in parts.path.split("/") if s]
    strong = any(k.startswith("aff") or k.startswith("referral") or k in ("fpr", "refid", "ref_id") for k in keys)
    # Amazon's associate id rides in ``tag``; elsewhere ``tag`` is just a tag.
    strong = strong or ("tag" in keys and (host == "amzn.to" or host.startswith("amazon.") or ".amazon." in host))
    weak = any(k in ("ref", "via") or k.startswith("utm_") for k in keys) or "partner" in segments
    weak = weak or "partners" in segments
    if not (strong or weak):
        return
    finding = Sponsorship("affiliate", host, None, start, end, "")
    left, right = scan.sentence(start, end)
    context = _AD_CONTEXT.search(low[left:start] + " " + low[end:right])
    if strong or context:
        scan.found.append(finding)
    else:
        scan.pending.append(finding)


def _disclosure(scan: _Scan, m: Mention) -> None:
    start, end = _clause(scan, m.start, m.end)
    scan.add("affiliate", start, end)


def _event(scan: _Scan, m: Mention) -> None:
    start, end = _clause(scan, m.start, m.end)
    scan.add("event_promo", start, end, sponsor=_event_name(scan.text, m.start, m.end))


def _early(scan: _Scan, m: Mention) -> None:
    left, right = scan.sentence(m.start, m.end)
    if _EARLY_CONTEXT.search(scan.low, left, right):
        _event(scan, m)


def _join(scan: _Scan, m: Mention) -> None:
    _, right = scan.sentence(m.start, m.end)
    noun = _EVENT_NOUN.search(scan.low, m.end, min(right, m.end + 80))
    if noun is None:
        return
    start, end = _clause(scan, m.start, noun.end())
    scan.add("event_promo", start, end, sponsor=_event_name(scan.text, m.start, noun.end()))


_THANKED = re.compile(rf"(?:thanks?|thank you)[ ]to[ ]((?:The[ ])?{_WORD}(?:[ ](?:&[ ])?{_WORD}){{0,4}})[ ]$", re.I)
_SPONSORED_THING = re.compile(r"[ ](?:this|the|today's)[ ](?:episode|show|podcast|pod|video|newsletter)\b")
_SELLING_SPACE = re.compile(r"(?:touch|reach out|contact us|email us|interested)[ ]$")


def _sponsoring(scan: _Scan, m: Mention) -> None:
    if _SPONSORED_THING.match(scan.low, m.end):
        thanked = _THANKED.search(scan.text, max(0, m.start - 80), m.start)
        start = thanked.start() if thanked else m.start
        scan.add("sponsor", start, m.end, sponsor=thanked.group(1) if thanked else None)
    elif _SELLING_SPACE.search(scan.low, max(0, m.start - 20), m.start):
        _self(scan, m)


def _self(scan: _Scan, m: Mention) -> None:
    start, end = _clause(scan, m.start, m.end)
    scan.add("self_promo", start, end)


_HANDLERS: dict[str, Callable[[_Scan, Mention], None]] = {
    "named": _named,
    "bare": _bare,
    "code": _code,
    "off": _off,
    "goto": _goto,
    "url": _url,
    "disclosure": _disclosure,
    "event": _event,
    "early": _early,
    "join": _join,
    "self": _self,
    "sponsoring": _sponsoring,
}


def _clause(scan: _Scan, start: int, end: int, limit: int = 240) -> tuple[int, int]:
    """The sentence around a hit, or a window of it when the sentence runs on (a transcript with no stops)."""
    left, right = scan.sentence(start, end)
    if right - left > limit:
        # The call to action starts at the trigger; what ran on before it is another thing.
        left = left if start - left <= 80 else start
        right = min(right, end + 160)
    return left, right


def _event_name(text: str, start: int, end: int) -> str | None:
    """The event a promotion is for, nearest the hit within a couple of sentences.

    "The conference" names no event: a name needs a capitalised word of its own.
    """
    lo = max(0, start - 250)
    names = []
    for n in _EVENT_NAME.finditer(text, lo, min(len(text), end + 250)):
        words = n.group(0).split()
        while words and words[0] in _ARTICLES:
            words.pop(0)
        if len(words) >= 2:
            names.append((abs(n.start() - start), " ".join(words)))
    return min(names)[1] if names else None


# ---------------------------------------------------------------------------
# Putting the candidates together


def _confirm_pending(scan: _Scan) -> None:
    """Keep a bare tracking link or URL only when an ad read ends shortly before it."""
    reads = [f for f in scan.found if f.kind == "sponsor"]
    for cand in scan.pending:
        before = [r for r in reads if r.end <= cand.start and cand.start - r.end <= _NEAR]
        if before:
            scan.found.append(cand)


def _finish(scan: _Scan) -> list[Sponsorship]:
    text = scan.text
    found = sorted(scan.found, key=lambda f: (f.start, -f.end))
    reads = [f for f in found if f.kind == "sponsor" and f.sponsor]
    out: list[Sponsorship] = []
    for f in found:
        if f.kind == "discount_code":
            # The event is named in the code's own paragraph, not in the transcript line after it.
            line_start = text.rfind("\n", 0, f.start) + 1
            line_end = text.find("\n", f.end)
            line_end = len(text) if line_end < 0 else line_end
            lo, hi = max(line_start, f.start - 200), min(line_end, f.end + 200)
            if _EVENT_WORDS.search(scan.low, lo, hi):
                # "buy now with code LATENTSPACE" beside the conference's tickets: a discount on the event.
                f = replace(f, kind="event_promo", sponsor=f.sponsor or _event_name(text, f.start, f.end))
            elif f.sponsor is None:
                f = replace(f, sponsor=_nearest_read(reads, f.start))
        elif f.kind == "sponsor" and f.sponsor and "." in f.sponsor and " " not in f.sponsor:
            # A URL's host stands in for the advertiser only when no read names them just before.
            f = replace(f, sponsor=_nearest_read(reads, f.start, skip=f) or f.sponsor)
        if out and _same_finding(scan, out[-1], f):
            out[-1] = _merge(out[-1], f)
            continue
        out.append(f)
    return [_quoted(text, f) for f in out]


def _nearest_read(reads: list[Sponsorship], at: int, skip: Sponsorship | None = None) -> str | None:
    before = [r for r in reads if r is not skip and r.start < at and at - r.end <= _NEAR and "." not in r.sponsor]
    return before[-1].sponsor if before else None


def _same_finding(scan: _Scan, a: Sponsorship, b: Sponsorship) -> bool:
    """Two candidates that are one finding: overlapping, or (for offers) in one sentence."""
    if a.kind != b.kind:
        return False
    if b.start < a.end:
        return a.kind != "sponsor" or a.sponsor is None or b.sponsor is None or a.sponsor == b.sponsor
    if a.kind in ("discount_code", "event_promo", "self_promo"):
        return scan.sentence(a.start, a.end) == scan.sentence(b.start, b.end) and not (a.code and b.code)
    return False


def _merge(a: Sponsorship, b: Sponsorship) -> Sponsorship:
    return Sponsorship(a.kind, a.sponsor or b.sponsor, a.code or b.code, min(a.start, b.start), max(a.end, b.end), "")


def _quoted(text: str, f: Sponsorship) -> Sponsorship:
    raw = text[f.start : f.end]
    start = f.start + len(raw) - len(raw.lstrip())
    quote = raw.strip()
    return replace(f, start=start, end=start + len(quote), quote=quote)
