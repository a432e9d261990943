import hashlib
import hmac

import pandas as pd
import pytest

from crm_lessons.datasets import list_datasets, load_world
from crm_lessons.privacy import KINDS, guess_pii_columns, pseudonym, pseudonymize


def _expected(value: str, kind: str, salt: str = "s", length: int = 12) -> str:
    digest = hmac.new(salt.encode(), f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    return KINDS[kind] + digest[:length]


def test_token_is_truncated_prefixed_hmac_sha256():
    # Computed independently with the standard library.
    assert pseudonym("amy@mail.com", salt="s", kind="email") == _expected("amy@mail.com", "email")
    assert pseudonym("x", salt="s", length=8) == _expected("x", "text", length=8)


def test_normalisation_makes_variants_equal():
    assert pseudonym(" Amy@Mail.COM ", salt="s", kind="email") == _expected(
        "amy@mail.com", "email"
    )
    assert pseudonym("0912-345 678", salt="s", kind="phone") == _expected("0912345678", "phone")
    assert pseudonym("+886 912 345 678", salt="s", kind="phone") == _expected(
        "+886912345678", "phone"
    )
    assert pseudonym("  Amy   LIN", salt="s", kind="name") == _expected("amy lin", "name")


def test_salt_changes_tokens_and_kind_separates_namespaces():
    a = pseudonym("C0001", salt="one", kind="id")
    b = pseudonym("C0001", salt="two", kind="id")
    assert a != b
    assert pseudonym("C0001", salt="one", kind="text")[4:] != a[3:]


def test_pseudonymize_table_by_hand():
    df = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C1", None],
            "phone": ["0912-345-678", "0912345678", None, "02 2345 6789"],
            "spend": [10, 20, 30, 40],
        }
    )
    out = pseudonymize(df, columns={"customer_id": "id", "phone": "phone"}, salt="s")
    assert out["spend"].tolist() == [10, 20, 30, 40]
    assert out["customer_id"].tolist()[:3] == [
        _expected("C1", "id"),
        _expected("C2", "id"),
        _expected("C1", "id"),
    ]
    assert pd.isna(out["customer_id"].iloc[3]) and pd.isna(out["phone"].iloc[2])
    # two spellings of one number -> one token
    assert out["phone"].iloc[0] == out["phone"].iloc[1] == _expected("0912345678", "phone")
    # input untouched
    assert df["customer_id"].iloc[0] == "C1"


def test_list_of_columns_guesses_kinds():
    df = pd.DataFrame({"e-mail": ["A@b.tw"], "姓名": ["王小明"], "note": ["vip"]})
    out = pseudonymize(df, columns=["e-mail", "姓名", "note"], salt="s")
    assert out.loc[0, "e-mail"] == _expected("a@b.tw", "email")
    assert out.loc[0, "姓名"] == _expected("王小明", "name")
    assert out.loc[0, "note"] == _expected("vip", "text")


def test_guess_pii_columns_by_name_and_content():
    df = pd.DataFrame(
        {
            "customer_id": ["C1", "C2"],
            "product_name": ["Latte", "Cake"],
            "contact": ["a@b.tw", "c@d.tw"],
            "tel_no": ["1", "2"],
            "mobile_number_field": ["0912-345-678", "0922-111-222"],
            "city": ["台北", "高雄"],
        }
    )
    assert guess_pii_columns(df) == {
        "customer_id": "id",
        "contact": "email",
        "tel_no": "phone",
        "mobile_number_field": "phone",
    }


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragment"),
    [
        ({"columns": ["name"], "salt": ""}, ValueError, "salt must be a non-empty"),
        ({"columns": ["nope"], "salt": "s"}, ValueError, "columns=['nope'] not in the table"),
        ({"columns": {"name": "ssn"}, "salt": "s"}, ValueError, "unknown kind"),
    ],
)
def test_errors(kwargs, exc, fragment):
    df = pd.DataFrame({"name": ["a"]})
    with pytest.raises(exc, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        pseudonymize(df, **kwargs)


@pytest.mark.skipif("coffee_shop" not in list_datasets(), reason="course data not built")
def test_world_tables_join_after_pseudonymisation():
    w = load_world("coffee_shop")
    cust = pseudonymize(
        w.customers,
        columns={"customer_id": "id", "name": "name", "phone": "phone", "email": "email"},
        salt="k",
    )
    tx = pseudonymize(w.transactions, columns={"customer_id": "id"}, salt="k")
    assert set(tx["customer_id"].dropna()) <= set(cust["customer_id"])
    assert cust["name"].nunique() <= w.customers["name"].nunique()
    assert not cust["email"].str.contains("@").any()
