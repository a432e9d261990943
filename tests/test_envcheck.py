from packaging.requirements import Requirement

from crm_lessons import envcheck


def test_missing_and_too_old_packages_are_reported(monkeypatch, capsys):
    reqs = [
        Requirement("pandas>=3.0"),
        Requirement("no-such-package-xyz>=1"),
        Requirement("numpy>=99"),
    ]
    monkeypatch.setattr(envcheck, "required_packages", lambda: reqs)
    report = envcheck.check_environment()
    status = dict(zip(report["check"], report["status"], strict=True))
    assert status["package pandas"] == "ok"
    assert status["package no-such-package-xyz"] == "PROBLEM"
    assert status["package numpy"] == "PROBLEM"
    out = capsys.readouterr().out
    assert "checks found a problem" in out
    assert "no-such-package-xyz: missing: run `make setup`" in out
    assert "does not satisfy >=99" in out


def test_missing_datasets_are_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("CRM_DATASETS_DIR", str(tmp_path))
    report = envcheck.check_environment(verbose=False)
    row = report.set_index("check").loc["course data sets in datasets/"]
    assert row["status"] == "PROBLEM" and str(tmp_path) in row["what to do"]


def test_cjk_font_is_reported_by_name():
    from crm_lessons.plotting import cjk_font

    report = envcheck.check_environment(verbose=False)
    rows = report[report["check"].str.startswith("Chinese font for figures")]
    assert len(rows) == 1
    assert rows["check"].iloc[0] == f"Chinese font for figures: {cjk_font()}"
    assert rows["status"].iloc[0] == "ok"


def test_missing_cjk_font_is_a_problem(monkeypatch):
    import crm_lessons.plotting as plotting

    monkeypatch.setattr(plotting, "cjk_font", lambda: None)
    report = envcheck.check_environment(verbose=False).set_index("check")
    row = report.loc["Chinese font for figures: none found"]
    assert row["status"] == "PROBLEM" and "mplfonts" in row["what to do"]
