"""``doithoai templates --example NAME > du-lieu.yaml`` gives a commented starter file that
renders as is, with every field of the form and Vietnamese comments on what each one takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Settings
from flows.generate import check, draft, load_data
from templates.schemas import TEMPLATES, describe
from templates.starter import starter_yaml


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_the_starter_file_renders_as_is(name: str, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "du-lieu.yaml"
    path.write_text(starter_yaml(name), encoding="utf-8")
    checked = check(name, load_data(path), settings)
    assert checked.ok and checked.problems == [], checked.problems
    draft(name, load_data(path), settings, tmp_path / "du-thao.docx")


def test_the_starter_names_every_field_with_its_label_and_allowed_values() -> None:
    text = starter_yaml("bao_cao_ket_qua")
    assert "# Thể thức (nếu bỏ dòng này: party) — cách trình bày phần đầu văn bản và chữ ký — một trong: party" in text
    assert "# Cấp (bắt buộc) — gõ tỉnh, huyện, xã hoặc tổng cũng được — một trong: tinh = Cấp tỉnh; huyen =" in text
    assert "  issue_date: 25/11/2025\n" in text and "luot_nguoi: 30.115" in text

    def paths(fields: tuple) -> list[str]:
        return [p for f in fields for p in [f.path, *paths(f.fields)]]

    for p in paths(describe("bao_cao_ket_qua")):
        assert f"{p.rsplit('.', 1)[-1].removesuffix('[]')}:" in text, p


def test_the_form_lists_fields_in_the_order_of_the_document() -> None:
    form = describe("thong_bao_ket_luan")
    assert [f.path for f in form][:3] == ["header", "title", "dialogue_date"]
    assert [f.path for f in form][-2:] == ["header.signer", "header.recipients"]  # printed last
    header = form[0]
    fmt = next(f for f in header.fields if f.name == "format")
    assert fmt.kind == "choice" and fmt.choices[0] == ("party", "văn bản Đảng (HD 36-HD/VPTW)")
    assignments = next(f for f in form if f.name == "assignments")
    assert assignments.kind == "repeat" and [f.path for f in assignments.fields] == [
        "assignments[].agency", "assignments[].task", "assignments[].due",
    ]  # fmt: skip
    assert next(f for f in assignments.fields if f.name == "due").kind == "date"


def test_the_cli_starter_goes_straight_into_generate(cli_env: dict[str, str], tmp_path: Path) -> None:
    import subprocess

    exe = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "doithoai")
    starter = subprocess.run([exe, "templates", "--example", "thong_bao_ket_luan"], env=cli_env, capture_output=True,
                             text=True, check=True, timeout=120).stdout  # fmt: skip
    (tmp_path / "du-lieu.yaml").write_text(starter, encoding="utf-8")
    out = tmp_path / "du-thao.docx"
    done = subprocess.run([exe, "generate", "thong_bao_ket_luan", "--data", str(tmp_path / "du-lieu.yaml"), "-o",
                           str(out)], env=cli_env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "bản dự thảo" in done.stdout and out.is_file()
    again = subprocess.run([exe, "generate", "thong_bao_ket_luan", "--data", str(tmp_path / "du-lieu.yaml"), "-o",
                            str(out)], env=cli_env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert again.returncode == 2 and "thêm --force để ghi đè" in again.stderr
