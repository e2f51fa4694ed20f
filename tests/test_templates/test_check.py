"""The data is checked like a careful reviewer would, before anything is rendered: every problem
at once, named by its field path, in Vietnamese; impossible things stop the render, doubtful ones
are warnings. Values are accepted the way people type them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from archive import Settings
from flows.generate import DataProblems, check, draft, load_data
from templates.schemas import TEMPLATES


def _tb() -> dict[str, Any]:
    return copy.deepcopy(TEMPLATES["thong_bao_ket_luan"].example)


def _bc() -> dict[str, Any]:
    return copy.deepcopy(TEMPLATES["bao_cao_ket_qua"].example)


def _found(template: str, data: dict[str, Any], settings: Settings) -> dict[str, tuple[str, str]]:
    return {p.path: (p.severity, p.message) for p in check(template, data, settings).problems}


def test_the_examples_have_no_problem(settings: Settings) -> None:
    for name, spec in TEMPLATES.items():
        checked = check(name, spec.example, settings)
        assert checked.ok and checked.problems == [], (name, checked.problems)


def test_a_notice_dated_before_its_dialogue_is_an_error(settings: Settings) -> None:
    data = _tb()
    data["header"]["issue_date"] = "20/01/2025"  # dialogue 24/01/2025
    severity, message = _found("thong_bao_ket_luan", data, settings)["header.issue_date"]
    assert severity == "error"
    assert message == (
        "ngày ban hành 20/01/2025 trước ngày tiếp xúc, đối thoại 24/01/2025: "
        "thông báo kết luận ban hành sau cuộc đối thoại"
    )


def test_a_notice_later_than_seven_working_days_is_a_warning(settings: Settings) -> None:
    data = _tb()
    data["header"]["issue_date"] = "2025-02-20"
    assert _found("thong_bao_ket_luan", data, settings)["header.issue_date"] == (
        "warning",
        "ngày ban hành 20/02/2025 quá hạn 07 ngày làm việc sau đối thoại (hạn 11/02/2025)",
    )


def test_assignment_deadlines_run_after_the_meeting_and_the_notice(settings: Settings) -> None:
    data = _tb()
    data["assignments"][0]["due"] = "2025-01-20"  # before the dialogue
    data["assignments"][1]["due"] = "2025-02-06"  # the day after the notice: maybe intended
    data["assignments"].append({"agency": "Sở Tài chính", "task": "bố trí kinh phí", "due": "2025-02-01"})
    found = _found("thong_bao_ket_luan", data, settings)
    assert found["assignments[0].due"] == ("error", "thời hạn 20/01/2025 không sau ngày tiếp xúc, đối thoại 24/01/2025")
    assert found["assignments[2].due"] == ("error", "thời hạn 01/02/2025 trước ngày ban hành thông báo 05/02/2025")
    assert found["assignments[1].due"] == (
        "warning",
        "thời hạn 06/02/2025 chỉ 1 ngày sau ngày ban hành 05/02/2025: có đúng ý không?",
    )


def test_an_empty_trich_yeu_and_empty_lines_are_errors(settings: Settings) -> None:
    data = _tb()
    data["title"] = "   "
    data["conclusions"] = ["Một nội dung.", ""]
    found = _found("thong_bao_ket_luan", data, settings)
    assert found["title"] == ("error", "không được để trống")
    assert found["conclusions[1]"] == ("error", "không được để trống")


def test_more_answered_than_received_names_the_field_not_the_data(settings: Settings) -> None:
    data = _tb()
    data["answered_at_meeting"] = 30  # 9 + 4 + 5 = 18 opinions
    checked = check("thong_bao_ket_luan", data, settings)
    assert [str(p) for p in checked.errors] == [
        "answered_at_meeting: 30 ý kiến trả lời tại hội nghị, nhiều hơn tổng số 18 ý kiến (cộng các lĩnh vực)"
    ]
    assert "(dữ liệu)" not in str(checked.problems)


def test_report_figures_that_do_not_add_up(settings: Settings) -> None:
    data = _bc()
    data["statistics"][1]["so_y_kien_da_giai_quyet"] = 600  # of 512 received
    data["statistics"][0].update(so_y_kien_da_giai_quyet=60, so_y_kien_dang_giai_quyet=30, so_y_kien_chuyen_cap_tren=10)
    data["statistics"][2]["ty_le_giai_quyet"] = "120%"
    data["statistics"].append({"level": "tong", "so_cuoc": 400})  # 4 + 38 + 421 = 463
    found = _found("bao_cao_ket_qua", data, settings)
    assert found["statistics[1].so_y_kien_da_giai_quyet"] == (
        "error",
        "đã giải quyết 600 ý kiến, nhiều hơn số ý kiến tiếp nhận 512",
    )
    assert found["statistics[0].so_y_kien"] == (
        "error",
        "đã giải quyết, đang giải quyết và chuyển cấp trên cộng lại 100, nhiều hơn số ý kiến tiếp nhận 96",
    )
    assert found["statistics[2].ty_le_giai_quyet"] == ("error", "tỷ lệ 120% lớn hơn 100%")
    assert found["statistics[3].so_cuoc"] == (
        "error",
        "tổng cộng 400 khác tổng các cấp (cấp tỉnh, cấp huyện, cấp xã) 463",
    )


def test_a_stated_rate_is_recomputed_from_the_counts(settings: Settings) -> None:
    data = _bc()
    data["statistics"][1]["ty_le_giai_quyet"] = "95,5"  # 480 / 512 = 93,75%
    data["statistics"][2]["ty_le_giai_quyet"] = "98,4%"  # 2700 / 2744 = 98,40%
    found = _found("bao_cao_ket_qua", data, settings)
    assert found["statistics[1].ty_le_giai_quyet"] == (
        "warning",
        "tỷ lệ ghi 95,5% nhưng 480/512 ý kiến là 93,75%; văn bản in tỷ lệ tính từ số liệu",
    )
    assert "statistics[2].ty_le_giai_quyet" not in found


def test_a_period_that_runs_backwards(settings: Settings) -> None:
    data = _bc()
    data["period_to"] = "31/12/2024"
    assert _found("bao_cao_ket_qua", data, settings)["period_to"] == (
        "error",
        "kỳ báo cáo đến ngày 31/12/2024 trước từ ngày 01/01/2025",
    )


def test_a_plan_issued_after_its_year(settings: Settings) -> None:
    data = copy.deepcopy(TEMPLATES["ke_hoach"].example)
    data["header"]["issue_date"] = "2026-01-10"
    assert _found("ke_hoach", data, settings)["header.issue_date"] == (
        "error",
        "kế hoạch năm 2025 ban hành năm 2026, sau năm kế hoạch",
    )
    data["header"]["issue_date"] = "2025-03-10"
    assert _found("ke_hoach", data, settings)["header.issue_date"] == (
        "warning",
        "kế hoạch ban hành sau hạn 01/02/2025",
    )


def test_every_problem_at_once_and_nothing_written(tmp_path: Path, settings: Settings) -> None:
    data = _tb()
    data["header"]["issue_date"] = "30/02/2025"
    data["header"]["format"] = "liên ngành"
    data["attendance"] = "nhiều"
    data["bi_danh"] = 1
    with pytest.raises(DataProblems) as err:
        draft("thong_bao_ket_luan", data, settings, tmp_path / "x.docx")
    found = {p.path: p.message for p in err.value.problems}
    assert found == {
        "header.issue_date": "ngày 30/02/2025 không có trên lịch",
        "header.format": "giá trị 'liên ngành' không hợp lệ; chọn một trong: party (văn bản Đảng (HD 36-HD/VPTW)), "
        "state (văn bản Nhà nước (NĐ 30/2020/NĐ-CP))",
        "attendance": "phải là số nguyên (viết 1.234 hoặc 1234)",
        "bi_danh": "trường không có trong mẫu (xem doithoai templates)",
    }
    assert not (tmp_path / "x.docx").exists()


def test_an_impossible_date_in_yaml_is_a_field_error_not_a_traceback(tmp_path: Path, settings: Settings) -> None:
    import yaml

    data = _tb()
    data["header"]["issue_date"] = "2019-02-30"
    path = tmp_path / "tb.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True).replace("'2019-02-30'", "2019-02-30"), encoding="utf-8")
    assert "issue_date: 2019-02-30\n" in path.read_text(encoding="utf-8")  # unquoted, as a person types it
    [problem] = check("thong_bao_ket_luan", load_data(path), settings).problems
    assert (problem.path, problem.message) == ("header.issue_date", "ngày 30/02/2019 không có trên lịch")


def test_vietnamese_values_are_accepted(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "bc.yaml"
    path.write_text(
        """header:
  format: Đảng
  issuer: TỈNH ỦY HẬU GIANG
  issuer_code: TU
  place: Hậu Giang
  issue_date: 25/11/2025
  signer: {position: PHÓ BÍ THƯ, name: Lê Thị Cúc}
  recipients: [Ban Dân vận Tỉnh ủy]
period_from: 01/01/2025
period_to: 2025-11-15
situation: Triển khai nghiêm túc.
statistics:
  - {level: tỉnh, so_cuoc: 4, luot_nguoi: 1.120, so_y_kien: 96, so_y_kien_da_giai_quyet: 90, ty_le_giai_quyet: "93,75"}
  - {level: Cấp huyện, so_cuoc: 38, luot_nguoi: 4.870, so_y_kien: 512}
  - {level: xã, so_cuoc: 421, luot_nguoi: 30 115, so_y_kien: 1.230}
strengths: [Dân chủ.]
tasks: [Đôn đốc.]
""",
        encoding="utf-8",
    )
    checked = check("bao_cao_ket_qua", load_data(path), settings)
    assert checked.errors == []
    m = checked.model
    assert m.header.format == "party" and str(m.header.issue_date) == "2025-11-25" and str(m.period_to) == "2025-11-15"
    assert [(s.level, s.luot_nguoi, s.so_y_kien) for s in m.statistics] == [
        ("tinh", 1120, 96), ("huyen", 4870, 512), ("xa", 30115, 1230),
    ]  # fmt: skip
    assert m.statistics[0].ty_le_giai_quyet == 93.75
