import pandas as pd
import pytest

from crm_lessons import datasets


def test_cdnow_master_counts():
    tx = datasets.load_cdnow_transactions()
    assert len(tx) == 69_659
    assert tx["customer_id"].nunique() == 23_570
    assert tx["date"].min() == pd.Timestamp("1997-01-01")
    assert tx["date"].max() == pd.Timestamp("1998-06-30")
    assert tx.dtypes.astype(str).tolist() == ["string", "datetime64[ns]", "Int64", "float64"]
    # first line of the source file: " 00001 19970101  1   11.77"
    assert tx.iloc[0].tolist() == ["00001", pd.Timestamp("1997-01-01"), 1, 11.77]


def test_cdnow_summary_matches_published_sample():
    s = datasets.load_cdnow_summary()
    assert s.shape == (2357, 4)
    assert s.loc[1].tolist() == [2, 30.43, 38.86, 22.35]
    assert s["T"].max() == pytest.approx(38.86)


def test_cdnow_sample_transactions_match_summary():
    tx = datasets.load_cdnow_sample_transactions()
    s = datasets.load_cdnow_summary()
    assert len(tx) == 6919
    assert set(tx["customer_id"].astype(int)) == set(s.index)


def test_world_round_trip_is_byte_stable(tmp_path):
    w = datasets.World(
        {
            "customers": pd.DataFrame(
                {"customer_id": ["C1", "C2"], "acquisition_cost": [1 / 3, 2.0]}
            ),
            "orders": pd.DataFrame(
                {
                    "order_id": ["O1"],
                    "customer_id": ["C1"],
                    "date": [pd.Timestamp("2024-01-02")],
                    "amount": [12.5],
                }
            ),
        },
        {"seed": 7, "tables": ["customers", "orders"]},
    )
    d1 = w.to_dir(tmp_path / "a")
    back = datasets.World.from_dir(tmp_path / "a")
    d2 = back.to_dir(tmp_path / "b")
    assert d1 == d2
    assert back.params["seed"] == 7
    assert str(back.orders["date"].dtype) == "datetime64[ns]"
    assert back.customers["customer_id"].dtype == "string"
    assert (tmp_path / "a" / "customers.csv").read_text() == (
        "customer_id,acquisition_cost\nC1,0.333333\nC2,2\n"
    )


def test_unknown_dataset_names_the_choices(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATASETS_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="name='nope' is not a course data set"):
        datasets.load_world("nope")
