from crm_lessons import framework


def test_ten_cs_are_complete_and_unique():
    assert [c.number for c in framework.TEN_C] == list(range(1, 11))
    assert len({c.key for c in framework.TEN_C}) == 10
    for c in framework.TEN_C:
        assert c.zh_tw and c.zh_cn and c.definition and c.metrics


def test_every_c_is_taught_by_a_listed_lesson():
    lessons = {lsn.notebook for lsn in framework.LESSONS}
    for c in framework.TEN_C:
        assert c.lesson in lessons, c.key
        teaching = [lsn for lsn in framework.LESSONS if c.key in lsn.c_keys]
        assert teaching and teaching[0].notebook == c.lesson


def test_readme_course_map_is_rendered_from_framework(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert framework.course_map_markdown() in readme, (
        "README's course map is out of date: paste framework.course_map_markdown()"
    )


def test_simplified_differs_where_it_should():
    assert framework.by_key("profitability").zh_tw == "顧客獲利率"
    assert framework.by_key("profitability").zh_cn == "顾客获利率"
