import nbformat

from crm_lessons import build


def test_build_executes_normalises_and_skips_when_unchanged(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nb.cells = [nbformat.v4.new_code_cell("x = 6 * 7\nprint(x)")]
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, path)

    assert build.build_notebook(path) == "built"
    out = nbformat.read(path, as_version=4)
    assert out.cells[0].outputs[0]["text"] == "42\n"
    assert out.cells[0].execution_count == 1
    assert out.metadata["kernelspec"]["name"] == "crm-course"
    assert "version" not in out.metadata["language_info"]
    assert "execution" not in out.cells[0].metadata
    cell_id = out.cells[0]["id"]

    assert build.build_notebook(path) == "unchanged"
    assert build.build_notebook(path, force=True) == "built"
    assert nbformat.read(path, as_version=4).cells[0]["id"] == cell_id


def test_inputs_digest_changes_with_dependencies(tmp_path):
    (tmp_path / "crm_lessons").mkdir()
    f = tmp_path / "crm_lessons" / "m.py"
    f.write_text("a = 1\n")
    d1 = build.inputs_digest(tmp_path)
    f.write_text("a = 2\n")
    assert build.inputs_digest(tmp_path) != d1
