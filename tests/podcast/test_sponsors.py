"""Ad reads and promotion in show notes and transcripts, and how R7 reports them.

Snippets marked "seed 002" are quoted from Latent Space episode pages on a
podcast directory; the Huberman Lab and Lex Fridman reads are the ones the
assess tests already quote (podscripts.co, happyscribe.com). Every other
snippet is written for the test, most of them as a false positive to refuse.
"""

from __future__ import annotations

import pytest

from highsignal.assess import SourceFacts, assess
from highsignal.extract import extract
from highsignal.podcast.sponsors import Sponsorship, sponsorships
from highsignal.records import Enclosure, Item, TranscriptSegment

# Huberman Lab, "Machines, Creativity & Love | Dr. Lex Fridman" show notes (podscripts.co).
HUBERMAN = (
    "Read the full show notes for this episode at hubermanlab.com. Thank you to our sponsors AG1: "
    "https://athleticgreens.com/huberman LMNT: https://drinklmnt.com/hubermanlab Waking Up: "
    "https://wakingup.com/huberman Momentous: https://livemomentous.com/huberman Timestamps 00:00:00 Introduction: "
    "Lex Fridman 00:02:29 Sponsors: AG1, LMNT & Waking Up 00:07:35 What is Artificial Intelligence?"
)

# Lex Fridman Podcast AMA (January 2021), sponsor read as auto-transcribed on happyscribe.com.
LEX_READ = (
    "This episode is brought to you by Brooklynese Sheets. To help you with that, Brooklyn has a special "
    "offer. Go to Brooklyn and Dotcom and use promo code leks to get twenty five dollars off when you spend "
    "one hundred dollars more plus free shipping."
)

# Seed 002, "ICLR 2024 — Best Papers & Talks (Benchmarks, Reasoning & Agents)" show notes.
LS_CODE = (
    "Our second wave of speakers for AI Engineer World’s Fair were announced! The conference sold out of "
    "Platinum/Gold/Silver sponsors and Early Bird tickets! See our Microsoft episode for more info and buy now "
    "with code LATENTSPACE."
)
# Seed 002, "Efficiency is Coming" show notes.
LS_MEETUP = (
    "AI Engineering is expanding! Join the first 🇬🇧 AI Engineer London meetup in Sept and get in touch for "
    "sponsoring the second 🗽 AI Engineer Summit in NYC this Dec!"
)
# Seed 002, "How to train a Million Context LLM" show notes.
LS_EARLY_BIRD = "<150 Early Bird tickets left for the AI Engineer World’s Fair in SF! Prices go up soon."
# Seed 002, the footer under every episode.
LS_FOOTER = "Get full access to Latent.Space at www.latent.space/subscribe"
# Seed 002, WebSim episode transcript: "sponsors" in conversation, not an ad.
JOSCHA = (
    "[00:24:36] Joscha Bach: What is really important is that as if you have a very large party, it's only as "
    "good as its sponsors, as the people that you select."
)


def found(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(s.kind, s.sponsor, s.code) for s in sponsorships(text)]


def only(text: str, kind: str) -> Sponsorship:
    (s,) = [s for s in sponsorships(text) if s.kind == kind]
    return s


@pytest.mark.parametrize("text", [HUBERMAN, LEX_READ, LS_CODE, LS_MEETUP, LS_EARLY_BIRD, LS_FOOTER])
def test_offsets_locate_the_quote(text: str) -> None:
    results = sponsorships(text)
    assert results
    for s in results:
        assert text[s.start : s.end] == s.quote
        assert s.quote == s.quote.strip()
    assert [s.start for s in results] == sorted(s.start for s in results)


# ---------------------------------------------------------------------------
# Sponsor reads


def test_sponsor_list_with_links_one_finding_per_advertiser() -> None:
    reads = [s for s in sponsorships(HUBERMAN) if s.kind == "sponsor"]
    assert [s.sponsor for s in reads[:4]] == ["AG1", "LMNT", "Waking Up", "Momentous"]
    assert reads[0].quote == "Thank you to our sponsors AG1: https://athleticgreens.com/huberman"
    assert reads[1].quote == "LMNT: https://drinklmnt.com/hubermanlab"
    # The chapter list "Sponsors: AG1, LMNT & Waking Up" names the same three, and nothing after the clock time.
    assert {s.sponsor for s in reads[4:]} == {"AG1", "LMNT", "Waking Up"}


def test_transcribed_read_with_promo_code() -> None:
    assert found(LEX_READ) == [
        ("sponsor", "Brooklynese Sheets", None),
        ("discount_code", "Brooklynese Sheets", "leks"),
    ]
    assert only(LEX_READ, "sponsor").quote == "This episode is brought to you by Brooklynese Sheets"
    assert only(LEX_READ, "discount_code").quote == "use promo code leks to get twenty five dollars off"


def test_sponsor_list_on_separate_lines() -> None:
    # Laid out like Lex Fridman Podcast show notes: name, description, then the vanity link.
    notes = (
        "*SPONSORS*\nTo support this podcast, check out our sponsors & get discounts:\n"
        "Notion: Note-taking and team collaboration.\nGo to https://notion.com/lex\n"
        "Eight Sleep: Temp-control smart mattress.\nGo to https://eightsleep.com/lex\n\n"
        "*OUTLINE*\nHere's the timestamps for the episode:\n(00:00) – Introduction"
    )
    assert found(notes) == [("sponsor", "Notion", None), ("sponsor", "Eight Sleep", None)]


@pytest.mark.parametrize(
    ("text", "sponsor"),
    [
        ("Today’s sponsor is Weights & Biases.", "Weights & Biases"),
        ("This episode is sponsored by Notion.", "Notion"),
        ("Thanks to our sponsor, Vanta. Vanta automates compliance.", "Vanta"),
        ("This episode is brought to you by our friends at Modal, the serverless GPU cloud.", "Modal"),
        ("Support for this podcast comes from Anthropic.", "Anthropic"),
        ("This week's newsletter is presented by Linear.", "Linear"),
        ("Thanks to Notion for sponsoring this episode.", "Notion"),
        # An episode underwritten by a foundation is still an episode's sponsor: who benefits is disclosed.
        ("This episode is sponsored by the Sloan Foundation.", "Sloan Foundation"),
    ],
)
def test_single_sponsor_reads(text: str, sponsor: str | None) -> None:
    assert found(text) == [("sponsor", sponsor, None)]


def test_several_sponsors_in_one_read() -> None:
    text = "This episode is brought to you by Notion, Weights & Biases and Linear."
    assert [s.sponsor for s in sponsorships(text)] == ["Notion", "Weights & Biases", "Linear"]


def test_vanity_url_belongs_to_the_read_before_it() -> None:
    text = "Today's sponsor is Weights & Biases. Go to wandb.me/podcast to try it free."
    results = sponsorships(text)
    assert [s.sponsor for s in results] == ["Weights & Biases", "Weights & Biases"]
    assert results[1].quote == "Go to wandb.me/podcast"


def test_vanity_url_alone_names_its_host() -> None:
    assert found("Go to athleticgreens.com/podcast for a free year supply of vitamin D.") == [
        ("sponsor", "athleticgreens.com", None)
    ]


# ---------------------------------------------------------------------------
# Funding is not an ad


@pytest.mark.parametrize(
    "text",
    [
        "This work was sponsored by the NSF under grant IIS-1234567.",
        "This material is based upon work sponsored by DARPA.",
        "The authors were sponsored by the Alfred P. Sloan Foundation.",
        "We thank our sponsors, the NSF and NIH, for their grants.",
        "This research was supported by Google.",
        "The project is made possible by a grant from the Mozilla Foundation.",
        "The paper was presented by Dr. Chen at NeurIPS.",
    ],
)
def test_funding_acknowledgements_are_not_ad_reads(text: str) -> None:
    assert sponsorships(text) == []


# ---------------------------------------------------------------------------
# Codes, discounts and affiliate links


def test_code_and_percent_in_one_sentence_are_one_finding() -> None:
    text = "Use code ABC for 20% off your first month."
    assert found(text) == [("discount_code", None, "ABC")]
    assert only(text, "discount_code").quote == "Use code ABC for 20% off"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Enter discount code LATENT10 at checkout.", "LATENT10"),
        ("Head over and use the promo code “PODCAST”.", "PODCAST"),
        ("There's a coupon code in the show notes.", None),
        ("Get 20% off your first order.", None),
        ("Save $25 off your first box.", None),
    ],
)
def test_discounts(text: str, code: str | None) -> None:
    assert found(text) == [("discount_code", None, code)]


def test_discount_fills_in_the_advertiser_of_the_read_before() -> None:
    text = "This episode is brought to you by Notion. Use code LATENT for 3 months free."
    assert found(text) == [("sponsor", "Notion", None), ("discount_code", "Notion", "LATENT")]


@pytest.mark.parametrize(
    "text",
    [
        "The repo ships with code examples and a Colab.",
        "Models trained with code and data from GitHub.",
        "You can use code to call the API directly.",
        "Accuracy drops 5% off the baseline when quantized.",
        "We filed support tickets and join the team at Google.",
        "Go to github.com/karpathy/nanoGPT to read the code.",
        "Visit openai.com/research for the paper.",
        "The free tier: go to cursor.com/pricing and compare.",
        "The early bird gets the worm.",
        "Let's join the conference call at noon.",
        "Thanks for sponsoring my PhD, mom.",
        JOSCHA,
    ],
)
def test_ordinary_prose_is_not_promotion(text: str) -> None:
    assert sponsorships(text) == []


def test_affiliate_links() -> None:
    assert found("Get the course at https://course.example.com/llms?aff=lex42 today.") == [
        ("affiliate", "course.example.com", None)
    ]
    assert found("Grab it on Amazon: https://amzn.to/3xyz?tag=podcast-20") == [("affiliate", "amzn.to", None)]
    assert found("Some links are affiliate links; we may earn a commission.")[0][0] == "affiliate"


def test_tracking_parameters_need_an_ad_beside_them() -> None:
    # A newsletter's own tracking parameter says where the click came from, not who was paid.
    assert sponsorships("Read the post: https://www.latent.space/p/iclr?utm_source=podcast&ref=feed") == []
    assert sponsorships("Code: https://github.com/stanfordnlp/dspy?ref=latent.space") == []
    # Beside a read it is the read's link.
    text = "This episode is sponsored by Brightwave. Try it: https://brightwave.io/?ref=latentspace"
    assert found(text) == [("sponsor", "Brightwave", None), ("affiliate", "brightwave.io", None)]
    # A partner page is an affiliate link only in an ad's context.
    assert found("Start your free trial at https://descript.com/partner/latent") == [
        ("affiliate", "descript.com", None)
    ]
    assert sponsorships("Our integrations are listed at https://descript.com/partners") == []


# ---------------------------------------------------------------------------
# Events and self-promotion


def test_event_ticket_code_is_an_event_promotion() -> None:
    results = sponsorships(LS_CODE)
    assert [(s.kind, s.sponsor, s.code) for s in results] == [
        ("event_promo", "AI Engineer World’s Fair", None),
        ("event_promo", "AI Engineer World’s Fair", "LATENTSPACE"),
    ]
    assert "Early Bird tickets" in results[0].quote


def test_code_for_a_discount_on_tickets() -> None:
    text = "Use code LS20 for a discount on tickets to the AI Engineer Summit."
    assert found(text) == [("event_promo", "AI Engineer Summit", "LS20")]


def test_meetup_and_sponsorship_call() -> None:
    assert found(LS_MEETUP) == [
        ("event_promo", "AI Engineer London meetup", None),
        ("self_promo", None, None),
    ]


def test_early_bird() -> None:
    assert found(LS_EARLY_BIRD) == [("event_promo", "AI Engineer World’s Fair", None)]
    assert found("Early bird pricing ends Friday.") == [("event_promo", None, None)]


def test_paid_tier_footer_is_self_promotion() -> None:
    assert found(LS_FOOTER) == [("self_promo", None, None)]
    assert found("Support us on Patreon: https://patreon.com/someshow") == [("self_promo", None, None)]


# ---------------------------------------------------------------------------
# R7 through the assessment entry point

PODCAST = SourceFacts(content_kind="podcast", declared_kind="podcast")


def test_r7_reports_ad_reads_of_an_episode() -> None:
    item = Item(
        key="ep",
        title="How AI is eating Finance — with Mike Conover of Brightwave",
        text="Mike Conover is the founder of Brightwave. " + LS_CODE,
        enclosure=Enclosure("https://example.com/ep.mp3", "audio/mpeg"),
        transcript=[
            TranscriptSegment(0.0, "This episode is brought to you by Notion, the connected workspace."),
            TranscriptSegment(9.0, "Use code LATENT for 20% off your first year."),
            TranscriptSegment(20.0, JOSCHA),
        ],
    )
    ext = extract(item)
    result = assess(item, ext, source=PODCAST)
    signals = {s.id: s for s in result.signals if s.rule == "R7"}
    read = signals["R7.sponsorship"]
    assert read.message == "ad read: sponsored by Notion"
    assert read.weight < 0 and read.polarity == "-"
    assert "brought to you by Notion" in read.evidence
    assert ext.text[read.start : read.end] == read.evidence
    assert signals["R7.referral"].message == "discount code LATENT"
    assert "Use code LATENT" in signals["R7.referral"].evidence
    assert signals["R7.promotion"].message.startswith("event promotion: AI Engineer World’s Fair")
    assert "code LATENTSPACE" in signals["R7.promotion"].message


def test_r7_conversation_about_sponsors_is_not_an_ad() -> None:
    # The lexicon alone would read "its sponsors" as sponsorship; in an episode the detector decides.
    item = Item(
        key="ep",
        title="WebSim, WorldSim, and The Summer of Simulative AI",
        enclosure=Enclosure("https://example.com/ep.mp3", "audio/mpeg"),
        transcript=[TranscriptSegment(1476.0, JOSCHA)],
    )
    result = assess(item, source=PODCAST)
    assert not [s for s in result.signals if s.id in ("R7.sponsorship", "R7.referral", "R7.promotion")]


def test_r7_show_notes_read_like_an_episode() -> None:
    # No audio or transcript, but the text reads ads: the sponsor detector names the advertisers.
    item = Item(key="k", title="Machines, Creativity & Love | Dr. Lex Fridman", text=HUBERMAN)
    result = assess(item)
    (read,) = [s for s in result.signals if s.id == "R7.sponsorship"]
    assert read.message == "ad read: sponsored by AG1, LMNT, Waking Up, Momentous"
    assert "our sponsors" in read.evidence
