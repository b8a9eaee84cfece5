"""The personal model: learns from a handful of ratings, explains itself, survives a round trip."""

import numpy as np

from highsignal.rank.personal import MIN_RATINGS, Model, vectorise

LIKED = [
    ("Direct preference optimisation without a reward model", "We study DPO and RLHF for preference tuning."),
    ("RLHF at scale: what reward models miss", "Reward hacking in RLHF and preference data quality."),
    ("A recipe for preference tuning small models", "DPO and reward models for instruction following."),
]
DISLIKED = [
    ("Our Series B funding round", "We raised money from investors to grow the sales team."),
    ("Company announces new office", "The startup opens an office and hires a sales lead."),
    ("Funding news: investors pour money into AI startups", "Valuation and revenue of the startup."),
]


def _trained() -> Model:
    model = Model.empty()
    rated = [(vectorise(t, x), 1) for t, x in LIKED] + [(vectorise(t, x), -1) for t, x in DISLIKED]
    model.update(rated)
    return model


def test_learns_the_direction_of_the_ratings():
    model = _trained()
    assert model.ready
    liked, disliked = model.score(
        [
            vectorise("Better reward models for RLHF", "preference data and DPO"),
            vectorise("Startup raises funding", "investors and revenue"),
        ]
    )
    assert liked > 0.5 > disliked


def test_not_ready_until_enough_ratings_both_ways():
    model = Model.empty()
    model.update([(vectorise(t, x), 1) for t, x in LIKED])
    assert not model.ready  # only ups
    model.update([(vectorise(*LIKED[0]), 1), (vectorise(*DISLIKED[0]), -1)])
    assert model.ratings < MIN_RATINGS and not model.ready


def test_explains_with_the_words_that_pulled():
    terms = dict(_trained().explain("RLHF for startups", "funding and reward models"))
    assert terms["rlhf"] > 0
    assert terms["funding"] < 0


def test_round_trip_keeps_every_weight():
    model = _trained()
    back = Model.from_bytes(model.to_bytes())
    assert np.array_equal(back.weights, model.weights)
    assert (back.bias, back.ratings, back.ups, back.downs) == (model.bias, model.ratings, model.ups, model.downs)


def test_items_without_text_get_no_score():
    assert vectorise(None, "") is None
    assert _trained().score([None]) == [None]
