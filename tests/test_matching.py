"""Identity resolution: normalisers, rules, scored matching against the generator's truth."""

import pandas as pd
import pytest

from crm_lessons import matching as m
from crm_lessons.datasets import load_world
from crm_lessons.rfm import rfm_table
from generators.channels import make_channel_exports
from generators.world import make_world


@pytest.fixture(scope="module", params=["coffee_shop", "online_store", "fmcg_brand"])
def exports(request):
    return make_channel_exports(load_world(request.param), random_state=0)


def test_normalisers_agree_across_formats():
    assert (
        m.normalize_phone("0958-393-320") == m.normalize_phone("+886 958 393 320") == "958393320"
    )
    assert m.normalize_phone("(553) 547-3336") == m.normalize_phone("5535473336")
    assert m.normalize_phone(None) is None and m.normalize_phone(float("nan")) is None
    assert m.normalize_email(" A.B@Mail.COM") == "a.b@mail.com"
    assert m.normalize_email("no-at-sign") is None
    assert m.normalize_name("Dustin  CANTU") == m.normalize_name("dustin cantu")
    # Jaro-Winkler published values (Winkler 1990): MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84
    assert m.name_similarity("MARTHA", "MARHTA") == pytest.approx(0.9611, abs=1e-4)
    assert m.name_similarity("DWAYNE", "DUANE") == pytest.approx(0.84, abs=1e-4)
    assert m.name_similarity("DIXON", "DICKSONX") == pytest.approx(0.8133, abs=1e-4)


def test_exports_keep_the_world_and_truth_is_complete(exports):
    links = exports["channel_links"]
    assert links["record_id"].is_unique
    assert set(links.loc[links.channel == "pos", "record_id"]) == set(
        exports["pos_customers"]["pos_id"]
    )
    assert set(links.loc[links.channel == "web", "record_id"]) == set(
        exports["web_customers"]["web_id"]
    )
    pairs = m.true_pairs(links)
    assert len(pairs) > 100  # enough people in both channels to measure matching


def test_precision_and_recall_against_truth(exports):
    links = m.match_customers(exports["pos_customers"], exports["web_customers"])
    q = m.match_quality(links, m.true_pairs(exports["channel_links"]))
    assert q["precision"] >= 0.97
    assert q["recall"] >= 0.85
    assert links["pos_id"].is_unique and links["web_id"].is_unique
    table = m.threshold_table(links, m.true_pairs(exports["channel_links"]), [0.5, 0.75, 0.95])
    # lower thresholds find more true pairs but make more wrong merges
    assert table["recall"].is_monotonic_decreasing
    assert table["wrong_merges"].is_monotonic_decreasing
    assert table.loc[0.5, "wrong_merges"] > table.loc[0.95, "wrong_merges"]


def test_deterministic_rules_alone_miss_people_the_score_finds():
    ex = make_channel_exports(load_world("coffee_shop"), random_state=0)
    truth = m.true_pairs(ex["channel_links"])
    strict = m.match_customers(ex["pos_customers"], ex["web_customers"], threshold=1.0)
    loose = m.match_customers(ex["pos_customers"], ex["web_customers"], threshold=0.75)
    assert m.match_quality(loose, truth)["recall"] > m.match_quality(strict, truth)["recall"]


def test_shared_family_phone_is_not_a_merge():
    pos = pd.DataFrame({"pos_id": ["P1", "P2"], "name": ["王美華", "王建宏"],
                        "phone": ["0911-222-333", "0933-444-555"], "email": [None, None],
                        "city": ["台北市", "台北市"]})  # fmt: skip
    web = pd.DataFrame({"web_id": ["W1"], "name": ["王建宏"], "phone": ["+886 911 222 333"],
                        "email": ["jh@x.com"], "city": ["台北市"]})  # fmt: skip
    links = m.match_customers(pos, web)
    # the mother's phone on the son's web account must not merge him into her record
    assert ["P1", "W1"] not in links[["pos_id", "web_id"]].values.tolist()
    # with only the name and city to go on, the son is not merged either (a missed merge)
    assert len(links) == 0


def test_bad_arguments_name_the_problem():
    ex = make_channel_exports(
        make_world("coffee_shop", 60, random_state=1, progress=False), random_state=1
    )
    with pytest.raises(ValueError, match="threshold=1.5"):
        m.match_customers(ex["pos_customers"], ex["web_customers"], threshold=1.5)
    with pytest.raises(ValueError, match="phone"):
        m.match_customers(ex["pos_customers"].drop(columns="phone"), ex["web_customers"])


def test_same_seed_same_exports():
    w = make_world("online_store", 150, random_state=2, progress=False)
    a, b = make_channel_exports(w, random_state=9), make_channel_exports(w, random_state=9)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_silo_splits_people_and_matching_joins_them():
    ex = make_channel_exports(load_world("coffee_shop"), random_state=0)
    links = m.match_customers(ex["pos_customers"], ex["web_customers"])
    silo = m.unify_orders(ex["pos_orders"], ex["web_orders"], None)
    matched = m.unify_orders(ex["pos_orders"], ex["web_orders"], links)
    assert silo["customer_id"].nunique() == len(ex["pos_customers"]) + len(ex["web_customers"])
    people = ex["channel_links"]["customer_id"].nunique()
    assert abs(matched["customer_id"].nunique() - people) < 0.08 * people
    assert silo["amount"].sum() == pytest.approx(matched["amount"].sum())
    r_silo = rfm_table(silo, as_of="2025-12-31", is_return=None)
    r_match = rfm_table(matched, as_of="2025-12-31", is_return=None)
    assert r_match["monetary"].mean() > r_silo["monetary"].mean()
