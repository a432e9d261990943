"""Tests for crm_lessons.rfm: RFM table and BTYD summary."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from crm_lessons.datasets import (
    list_datasets,
    load_cdnow_sample_transactions,
    load_cdnow_summary,
    load_cdnow_transactions,
)
from crm_lessons.lifetimes_compat import import_lifetimes
from crm_lessons.rfm import ExcludedRowsWarning, btyd_summary, rfm_table

lifetimes = import_lifetimes()


def lifetimes_summary(tx, as_of=None, freq="W", monetary=True):
    return lifetimes.utils.summary_data_from_transaction_data(
        tx,
        "customer_id",
        "date",
        "amount" if monetary else None,
        observation_period_end=as_of,
        freq=freq,
    )


def assert_same_summary(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert list(ours.index) == list(ref.index)
    assert list(ours.columns) == list(ref.columns)
    for col in ("frequency", "recency", "T"):
        np.testing.assert_array_equal(ours[col].to_numpy(), ref[col].to_numpy(), err_msg=col)
    if "monetary_value" in ref:
        # identical up to floating-point summation order
        np.testing.assert_allclose(
            ours["monetary_value"].to_numpy(), ref["monetary_value"].to_numpy(), rtol=1e-12
        )


@pytest.fixture
def five_rows():
    # Paper example. as_of = Wed 31 Jan 2024.
    # A: Mon 1 Jan (10 + 5, same day), Sat 20 Jan (20)
    # B: Tue 30 Jan (8)
    # C: Mon 5 Feb (99), after as_of
    return pd.DataFrame(
        {
            "customer_id": ["A", "A", "A", "B", "C"],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-20", "2024-01-30", "2024-02-05"]
            ),
            "amount": [10.0, 5.0, 20.0, 8.0, 99.0],
        }
    )


# --------------------------------------------------------------- the two recencies


def test_both_recency_definitions_side_by_side_by_hand(five_rows):
    rfm = rfm_table(five_rows, as_of="2024-01-31")
    btyd = btyd_summary(five_rows, as_of="2024-01-31", freq="D")
    # RFM recency_days: days SINCE the last purchase: A 31-20 = 11, B 31-30 = 1
    assert rfm["recency_days"].to_dict() == {"A": 11, "B": 1}
    # BTYD recency: age AT the last purchase: A 20-1 = 19 days, B 0
    assert btyd["recency"].to_dict() == {"A": 19.0, "B": 0.0}
    # BTYD T: age at as_of: A 30, B 1
    assert btyd["T"].to_dict() == {"A": 30.0, "B": 1.0}
    # frequency: purchase days (RFM) vs repeat purchase days (BTYD)
    assert rfm["frequency"].to_dict() == {"A": 2, "B": 1}
    assert btyd["frequency"].to_dict() == {"A": 1.0, "B": 0.0}
    # monetary: total spend (RFM) vs mean repeat spend (BTYD)
    assert rfm["monetary"].to_dict() == {"A": 35.0, "B": 8.0}
    assert btyd["monetary_value"].to_dict() == {"A": 20.0, "B": 0.0}
    # C bought after as_of: in neither table, but counted
    assert "C" not in rfm.index and "C" not in btyd.index
    assert rfm.attrs["excluded_rows"]["after_as_of"] == 1
    assert btyd.attrs["excluded_rows"]["after_as_of"] == 1
    # recency_days = T - recency (in days) for every customer
    np.testing.assert_array_equal(rfm["recency_days"], btyd["T"] - btyd["recency"])


def test_weekly_summary_by_hand(five_rows):
    # weeks run Monday-Sunday. as_of Wed 31 Jan lies in the week starting Mon 29 Jan.
    # A: weeks of 1 Jan and 15 Jan -> frequency 1, recency 2, T 4; B: week of 29 Jan, T 0.
    # C (Mon 5 Feb) is in the next week: excluded.
    s = btyd_summary(five_rows, as_of="2024-01-31", freq="W")
    assert s.loc["A"].tolist() == [1.0, 2.0, 4.0, 20.0]
    assert s.loc["B"].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert_same_summary(s, lifetimes_summary(five_rows, "2024-01-31", "W"))


def test_weekly_period_includes_rest_of_as_of_week_like_lifetimes():
    # as_of Wed 31 Jan; a purchase on Fri 2 Feb is in the same week -> counted (lifetimes rule)
    tx = pd.DataFrame(
        {
            "customer_id": ["A", "A"],
            "date": pd.to_datetime(["2024-01-01", "2024-02-02"]),
            "amount": [1.0, 2.0],
        }
    )
    s = btyd_summary(tx, as_of="2024-01-31", freq="W")
    assert s.loc["A", "frequency"] == 1.0
    assert s.attrs["excluded_rows"]["after_as_of"] == 0
    assert_same_summary(s, lifetimes_summary(tx, "2024-01-31", "W"))


def test_rfm_as_of_is_an_inclusive_day():
    tx = pd.DataFrame(
        {
            "customer_id": ["A", "A"],
            "date": pd.to_datetime(["2024-01-01 09:00", "2024-01-31 18:30"]),
            "amount": [1.0, 2.0],
        }
    )
    t = rfm_table(tx, as_of="2024-01-31")
    assert t.loc["A"].tolist() == [0, 2, 3.0]


# --------------------------------------------------------------- equal to lifetimes


@pytest.mark.parametrize("freq", ["D", "W", "h"])
@pytest.mark.parametrize("as_of", [None, "1997-09-30", "1997-12-31 15:00"])
def test_btyd_equals_lifetimes_on_cdnow_sample(freq, as_of):
    tx = load_cdnow_sample_transactions()
    assert_same_summary(
        btyd_summary(tx, as_of=as_of, freq=freq), lifetimes_summary(tx, as_of, freq)
    )


@pytest.mark.slow
def test_btyd_equals_lifetimes_on_full_cdnow():
    tx = load_cdnow_transactions()
    ref = lifetimes_summary(tx, "1997-09-30", "W")
    assert_same_summary(btyd_summary(tx, as_of="1997-09-30", freq="W"), ref)
    ref_nm = lifetimes_summary(tx, None, "D", monetary=False)
    assert_same_summary(btyd_summary(tx, freq="D", monetary=False), ref_nm)


def test_btyd_reproduces_published_cdnow_summary():
    # Fader, Hardie & Lee (2005): 39-week calibration, times in weeks to 2 decimals
    tx = load_cdnow_sample_transactions()
    s = btyd_summary(tx, as_of="1997-09-30", freq="D")
    s.index = s.index.astype(int)
    pub = load_cdnow_summary().loc[s.index]
    assert len(s) == 2357
    np.testing.assert_array_equal(s["frequency"], pub["frequency"])
    assert np.abs(s["recency"] / 7 - pub["recency"]).max() < 0.0051
    assert np.abs(s["T"] / 7 - pub["T"]).max() < 0.0051
    assert np.abs(s["monetary_value"] - pub["monetary_value"]).max() < 0.0051


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_btyd_from_file_equals_lifetimes(tmp_path, fmt):
    tx = load_cdnow_sample_transactions()
    path = tmp_path / f"tx.{fmt}"
    if fmt == "parquet":
        tx.to_parquet(path, index=False)
    else:
        tx.to_csv(path, index=False)
    ref = lifetimes_summary(tx, "1997-09-30", "W")
    ours = btyd_summary(path, as_of="1997-09-30", freq="W")
    if fmt == "csv":  # DuckDB reads the zero-free ids back as text: compare as text
        ref.index = ref.index.astype(str)
    ours.index = ours.index.astype(str)
    assert_same_summary(ours, ref)
    default = btyd_summary(str(path), freq="D")
    assert_same_summary(
        default.set_axis(default.index.astype(str)),
        lifetimes_summary(tx, None, "D").set_axis(
            lifetimes_summary(tx, None, "D").index.astype(str)
        ),
    )


@pytest.mark.filterwarnings("ignore:Converting to PeriodArray:UserWarning")
def test_btyd_equals_lifetimes_on_integer_ids_and_timezones():
    rng = np.random.default_rng(3)
    n = 500
    tx = pd.DataFrame(
        {
            "customer_id": rng.integers(0, 60, n) * 7,  # sparse: hashed, not dense
            "date": pd.Timestamp("2023-01-01", tz="Asia/Taipei")
            + pd.to_timedelta(rng.integers(0, 200 * 24, n), unit="h"),
            "amount": rng.gamma(2, 10, n).round(2),
        }
    )
    for freq in ("D", "W", "h"):
        ours = btyd_summary(tx, as_of="2023-06-30", freq=freq)
        ref = lifetimes_summary(tx, "2023-06-30", freq)
        assert_same_summary(ours, ref)


@pytest.mark.skipif("coffee_shop" not in list_datasets(), reason="course data not generated")
def test_btyd_equals_lifetimes_on_generated_world():
    from crm_lessons.datasets import load_world

    for name in list_datasets():
        tx = load_world(name).transactions
        clean = tx[tx["customer_id"].notna() & (tx["amount"] >= 0)]
        if "is_return" in clean:
            clean = clean[~clean["is_return"].fillna(False).astype(bool)]
        as_of = clean["date"].max() - pd.Timedelta(days=90)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExcludedRowsWarning)
            ours = btyd_summary(tx, as_of=as_of, freq="W")
        ref = lifetimes_summary(clean[["customer_id", "date", "amount"]], as_of, "W")
        assert_same_summary(ours, ref)


# --------------------------------------------------------------- returns, walk-ins


@pytest.fixture
def messy():
    return pd.DataFrame(
        {
            "customer_id": pd.array(["A", "A", None, "B", "B"], dtype="string"),
            "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-08", "2024-01-02", None]),
            "amount": [10.0, -4.0, 7.0, 6.0, 3.0],
        }
    )


def test_walk_ins_returns_and_missing_dates_are_counted_and_warned(messy):
    with pytest.warns(
        ExcludedRowsWarning, match="1 walk-in rows.*1 rows without a date.*1 return"
    ):
        s = btyd_summary(messy, as_of="2024-01-31", freq="D")
    assert s.attrs["excluded_rows"] == {
        "walk_in": 1,
        "missing_date": 1,
        "return": 1,
        "after_as_of": 0,
    }
    # A's refund on 8 Jan is not a repeat purchase
    assert s.loc["A"].tolist() == [0.0, 0.0, 30.0, 0.0]


def test_returns_keep_matches_lifetimes_on_rows_with_customer_and_date(messy):
    clean = messy.dropna()
    with pytest.warns(ExcludedRowsWarning):
        s = btyd_summary(messy, as_of="2024-01-31", freq="D", returns="keep")
    assert s.attrs["excluded_rows"]["return"] == 0
    assert s.loc["A", "frequency"] == 1.0
    assert_same_summary(s, lifetimes_summary(clean, "2024-01-31", "D"))


def test_is_return_column_is_used(five_rows):
    tx = five_rows.assign(is_return=[False, False, True, False, False])
    with pytest.warns(ExcludedRowsWarning, match="1 return"):
        t = rfm_table(tx, as_of="2024-01-31")
    assert t.loc["A"].tolist() == [30, 1, 15.0]


def test_rfm_net_returns_reduce_monetary_but_are_not_purchases(messy):
    with pytest.warns(ExcludedRowsWarning) as rec:
        t = rfm_table(messy, as_of="2024-01-31", returns="net")
    assert "return" not in str(rec[0].message)
    assert t.loc["A"].tolist() == [30, 1, 6.0]
    assert t.loc["B"].tolist() == [29, 1, 6.0]


def test_no_warning_when_nothing_is_left_out(five_rows):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rfm_table(five_rows, as_of="2024-01-31")
        btyd_summary(five_rows, as_of="2024-01-31")


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"freq": "M"}, "freq='M' is not supported"),
        ({"returns": "drop"}, "returns='drop' is not valid"),
        ({"customer_id": "cust"}, "customer_id='cust' is not a column"),
        ({"as_of": "not a date"}, "as_of='not a date' is not a date"),
    ],
)
def test_btyd_bad_arguments(five_rows, kwargs, match):
    with pytest.raises(ValueError, match=match):
        btyd_summary(five_rows, **kwargs)


def test_missing_amounts_raise(five_rows):
    tx = five_rows.assign(amount=[1.0, np.nan, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="amount='amount' has 1 missing"):
        rfm_table(tx, as_of="2024-01-31")
    with pytest.raises(ValueError, match="has 1 missing"):
        btyd_summary(tx)
    assert btyd_summary(tx, monetary=False, returns="keep").shape == (3, 3)


def test_bad_types():
    with pytest.raises(TypeError, match="transactions must be a pandas DataFrame"):
        rfm_table([1, 2], as_of="2024-01-01")
    tx = pd.DataFrame({"customer_id": ["A"], "date": ["soon"], "amount": [1.0]})
    with pytest.raises(TypeError, match="date='date' holds values that are not dates"):
        rfm_table(tx, as_of="2024-01-01")
    with pytest.raises(ValueError, match="no such file"):
        btyd_summary("/nonexistent/tx.parquet")
    with pytest.raises(ValueError, match="returns='keep' is not valid"):
        rfm_table(tx, as_of="2024-01-01", returns="keep")


def test_dense_integer_ids_equal_lifetimes():
    rng = np.random.default_rng(5)
    tx = pd.DataFrame(
        {
            "customer_id": rng.integers(1, 80, 400),
            "date": pd.Timestamp("2023-01-02") + pd.to_timedelta(rng.integers(0, 300, 400), "D"),
            "amount": rng.gamma(2, 10, 400).round(2),
        }
    )
    assert_same_summary(btyd_summary(tx, freq="W"), lifetimes_summary(tx, None, "W"))


@pytest.mark.parametrize(
    "ids",
    [
        ["C01", "C02", "C10", "C03"],  # fixed length: fast path for short ids
        ["顧客01", "顧客02", "顧客10", "顧客03"],  # 8 UTF-8 bytes each
        ["C1", "C02", "C100", "C3"],  # different lengths: general path
        ["CUSTOMER-0001", "CUSTOMER-0002", "CUSTOMER-0010", "CUSTOMER-0003"],  # constant prefix
        ["AAAAAAAAAA1", "BBBBBBBBBB2", "ABABABABAB3", "BABABABABA4"],  # 11 varying bytes
    ],
)
@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_id_encodings_give_the_same_summary(ids, dtype):
    rng = np.random.default_rng(11)
    n = 300
    tx = pd.DataFrame(
        {
            "customer_id": pd.array(
                np.array(ids, dtype=object)[rng.integers(0, 4, n)], dtype=dtype
            ),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), "D"),
            "amount": rng.gamma(2, 10, n).round(2),
        }
    )
    ours = btyd_summary(tx, freq="W")
    assert list(ours.index) == sorted(ids)
    ref = lifetimes_summary(tx.astype({"customer_id": object}), None, "W")
    assert_same_summary(ours, ref)
    rfm = rfm_table(tx, as_of="2025-06-30")
    assert list(rfm.index) == sorted(ids)


def test_short_ids_with_walk_ins_fall_back_and_match():
    tx = pd.DataFrame(
        {
            "customer_id": pd.array(["A1", None, "B2", "A1"], dtype="str"),
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-20"]),
            "amount": [1.0, 2.0, 3.0, 4.0],
        }
    )
    with pytest.warns(ExcludedRowsWarning, match="1 walk-in"):
        s = btyd_summary(tx, as_of="2024-01-31", freq="D")
    assert s.loc["A1"].tolist() == [1.0, 19.0, 30.0, 4.0]
    assert s.loc["B2"].tolist() == [0.0, 0.0, 28.0, 0.0]


def test_hash_collisions_of_long_ids_fall_back_to_text(monkeypatch):
    import crm_lessons.rfm as rfm_module

    # a zero mixing constant maps ids that differ only in their first 8 varying bytes to the
    # same number: the collision check must notice and use the text path instead
    monkeypatch.setattr(rfm_module, "_MIX", np.uint64(0))
    ids = ["AAAAAAAAXY1", "BBBBBBBBXY1", "AAAAAAAAZZ2"]
    tx = pd.DataFrame(
        {
            "customer_id": pd.array(ids, dtype="str"),
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "amount": [1.0, 2.0, 3.0],
        }
    )
    s = btyd_summary(tx, as_of="2024-01-10", freq="D")
    assert list(s.index) == sorted(ids)
    assert s["T"].tolist() == [9.0, 7.0, 8.0]


@pytest.mark.parametrize("length", [12, 16, 24])
def test_long_fixed_length_ids_sharing_a_first_word_equal_lifetimes(length):
    # random hex ids, several pairs equal in their first 8 characters: the sort order of
    # the customers must still follow the whole id, as lifetimes' does
    rng = np.random.default_rng(5)
    heads = [f"{v:08x}" for v in rng.integers(0, 16**8, 6)]
    ids = sorted(
        {h + "".join(rng.choice(list("0123456789abcdef"), length - 8)) for h in heads * 3}
    )
    n = 501  # odd, so the last rows do not fill a whole comparison block
    tx = pd.DataFrame(
        {
            "customer_id": pd.array(np.array(ids)[rng.integers(0, len(ids), n)], dtype="str"),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), "D"),
            "amount": rng.gamma(2, 10, n).round(2),
        }
    )
    ours = btyd_summary(tx, freq="W")
    assert list(ours.index) == sorted(set(tx["customer_id"]))
    assert ours.index.dtype == tx["customer_id"].dtype
    assert_same_summary(ours, lifetimes_summary(tx.astype({"customer_id": object}), None, "W"))
