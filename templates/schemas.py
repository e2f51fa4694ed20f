"""What each template needs: one pydantic model per template, with a complete example.

``doithoai templates`` lists these fields; ``doithoai generate`` validates data against them
and reports every problem with its field path, in Vietnamese, before anything is rendered.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "TEMPLATES",
    "Assignment",
    "BaoCaoKetQua",
    "BaoCaoTongHop",
    "Dialogue",
    "DocHeader",
    "KeHoach",
    "LevelStats",
    "OpinionField",
    "SignerData",
    "TemplateSpec",
    "ThongBaoKetLuan",
    "UnitReport",
]

Format = Literal["party", "state"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignerData(_Model):
    authority: str | None = Field(None, description="Thẩm quyền ký: T/M BAN THƯỜNG VỤ, K/T TRƯỞNG BAN, TM. …")
    position: str = Field(description="Chức vụ: PHÓ BÍ THƯ, CHÁNH VĂN PHÒNG …")
    name: str = Field(description="Họ và tên người ký")


class DocHeader(_Model):
    format: Format = Field("party", description="Thể thức: party (HD 36-HD/VPTW) hoặc state (NĐ 30/2020/NĐ-CP)")
    superior: str | None = Field(None, description="Cơ quan cấp trên (chữ in hoa), vd. ĐẢNG BỘ TỈNH HẬU GIANG")
    issuer: str = Field(description="Cơ quan ban hành (chữ in hoa), vd. TỈNH ỦY HẬU GIANG")
    issuer_code: str = Field(description="Ký hiệu cơ quan trong số văn bản: TU, HU, BDVTU, UBND …")
    number: int | None = Field(None, ge=1, description="Số văn bản; để trống thì lấy số kế tiếp trong sổ văn bản đi")
    term: str | None = Field(None, description="Nhiệm kỳ của sổ văn bản (văn bản Đảng), vd. 2025-2030")
    place: str = Field(description="Địa danh ghi ở dòng ngày tháng, vd. Hậu Giang")
    issue_date: date = Field(description="Ngày ban hành")
    signer: SignerData
    recipients: list[str] = Field(min_length=1, description="Nơi nhận, mỗi dòng một nơi")


class OpinionField(_Model):
    field: str = Field(description="Lĩnh vực: đất đai, môi trường …")
    count: int = Field(ge=0, description="Số ý kiến")


class Assignment(_Model):
    agency: str = Field(description="Cơ quan được giao")
    task: str = Field(description="Nội dung nhiệm vụ")
    due: date | None = Field(None, description="Thời hạn")


class ThongBaoKetLuan(_Model):
    header: DocHeader
    title: str = Field(description="Trích yếu, vd. kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị …")
    dialogue_date: date = Field(description="Ngày tổ chức tiếp xúc, đối thoại")
    location: str = Field(description="Địa điểm")
    chair: str = Field(description="Người chủ trì (họ tên, chức vụ)")
    participants: str = Field(description="Thành phần dự")
    attendance: int | None = Field(None, ge=0, description="Số người dự")
    opinions_by_field: list[OpinionField] = Field(default_factory=list, description="Số ý kiến theo lĩnh vực")
    answered_at_meeting: int | None = Field(None, ge=0, description="Số ý kiến trả lời ngay tại hội nghị")
    conclusions: list[str] = Field(min_length=1, description="Các nội dung kết luận")
    assignments: list[Assignment] = Field(default_factory=list, description="Giao nhiệm vụ (cơ quan, nội dung, hạn)")
    closing: str = Field(
        "Văn phòng thông báo để các cơ quan, đơn vị, địa phương liên quan biết, thực hiện.",
        description="Câu kết",
    )

    @property
    def opinions_total(self) -> int:
        return sum(o.count for o in self.opinions_by_field)

    @model_validator(mode="after")
    def _answered_within_total(self) -> ThongBaoKetLuan:
        if (
            self.answered_at_meeting is not None
            and self.opinions_by_field
            and self.answered_at_meeting > self.opinions_total
        ):
            raise ValueError("số ý kiến trả lời tại hội nghị lớn hơn tổng số ý kiến")
        return self


class Dialogue(_Model):
    time: str = Field(description="Thời gian (ngày hoặc tháng), vd. Tháng 3/2025")
    place: str = Field(description="Địa điểm")
    participants: str = Field(description="Đối tượng, thành phần")
    chair: str = Field(description="Người chủ trì")
    content: str = Field("", description="Nội dung, chủ đề")


class Responsibility(_Model):
    agency: str
    tasks: str


class KeHoach(_Model):
    header: DocHeader
    year: int = Field(ge=2000, le=2100, description="Năm của kế hoạch")
    title: str | None = Field(None, description="Trích yếu (mặc định: tổ chức tiếp xúc, đối thoại … năm …)")
    grounds: list[str] = Field(default_factory=list, description="Căn cứ (các văn bản)")
    purposes: list[str] = Field(min_length=1, description="Mục đích")
    requirements: list[str] = Field(min_length=1, description="Yêu cầu")
    topics: list[str] = Field(min_length=1, description="Nội dung, chủ đề đối thoại")
    schedule: list[Dialogue] = Field(min_length=1, description="Lịch các cuộc đối thoại")
    responsibilities: list[Responsibility] = Field(min_length=1, description="Trách nhiệm của các cơ quan")


LEVELS = ("tinh", "huyen", "xa", "tong")
LEVEL_NAMES = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã", "tong": "Tổng cộng"}


class LevelStats(_Model):
    level: Literal["tinh", "huyen", "xa", "tong"]
    so_cuoc: int | None = Field(None, ge=0)
    luot_nguoi: int | None = Field(None, ge=0)
    so_y_kien: int | None = Field(None, ge=0)
    so_y_kien_da_giai_quyet: int | None = Field(None, ge=0)
    so_y_kien_dang_giai_quyet: int | None = Field(None, ge=0)
    so_y_kien_chuyen_cap_tren: int | None = Field(None, ge=0)


class _PeriodReport(_Model):
    """A report over a period: the header, and the period it covers (checked to run forwards)."""

    header: DocHeader
    period_from: date = Field(description="Từ ngày (kỳ báo cáo)")
    period_to: date = Field(description="Đến ngày")

    @model_validator(mode="after")
    def _period(self) -> _PeriodReport:
        if self.period_to < self.period_from:
            raise ValueError("kỳ báo cáo: 'đến ngày' trước 'từ ngày'")
        return self


class BaoCaoKetQua(_PeriodReport):
    title: str | None = Field(None, description="Trích yếu (mặc định: kết quả tiếp xúc, đối thoại … năm …)")
    situation: str = Field(description="Đặc điểm tình hình, công tác triển khai")
    statistics: list[LevelStats] = Field(
        default_factory=list, description="Số liệu theo cấp; để trống thì lấy từ các văn bản trong kho"
    )
    strengths: list[str] = Field(min_length=1, description="Ưu điểm")
    limitations: list[str] = Field(default_factory=list, description="Hạn chế, nguyên nhân")
    tasks: list[str] = Field(min_length=1, description="Nhiệm vụ, giải pháp thời gian tới")
    source_issuer: str | None = Field(
        None, description="Chỉ lấy số liệu từ văn bản của cơ quan này (có dấu hoặc không)"
    )


class UnitReport(_Model):
    unit: str
    stats: LevelStats
    source: str | None = None


class BaoCaoTongHop(_PeriodReport):
    title: str | None = None
    units: list[UnitReport] = Field(
        default_factory=list, description="Số liệu từng đơn vị; để trống thì tổng hợp từ các báo cáo trong kho"
    )
    assessment: str = Field(description="Đánh giá chung")
    tasks: list[str] = Field(min_length=1, description="Nhiệm vụ thời gian tới")


class TemplateSpec(BaseModel):
    name: str
    title: str
    doc_type: str
    type_abbrev: str
    model: type[_Model]
    example: dict[str, Any]


def _header(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": "party",
        "issuer": "TỈNH ỦY HẬU GIANG",
        "issuer_code": "TU",
        "number": 12,
        "term": "2025-2030",
        "place": "Hậu Giang",
        "issue_date": "2025-02-05",
        "signer": {"authority": "T/L BAN THƯỜNG VỤ", "position": "CHÁNH VĂN PHÒNG", "name": "Nguyễn Văn An"},
        "recipients": ["Thường trực Tỉnh ủy (b/c)", "Ban Dân vận Tỉnh ủy", "Lưu Văn phòng Tỉnh ủy"],
    }
    base.update(kw)
    return base


TEMPLATES: dict[str, TemplateSpec] = {
    spec.name: spec
    for spec in [
        TemplateSpec(
            name="thong_bao_ket_luan",
            title="Thông báo kết luận sau tiếp xúc, đối thoại",
            doc_type="thong_bao",
            type_abbrev="TB",
            model=ThongBaoKetLuan,
            example={
                "header": _header(),
                "title": (
                    "kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị tiếp xúc, đối thoại với nhân dân "
                    "huyện Phụng Hiệp"
                ),
                "dialogue_date": "2025-01-24",
                "location": "Hội trường UBND huyện Phụng Hiệp",
                "chair": "đồng chí Trần Văn Bình, Bí thư Tỉnh ủy",
                "participants": "lãnh đạo các sở, ngành tỉnh; Thường trực Huyện ủy, UBND huyện và nhân dân",
                "attendance": 320,
                "opinions_by_field": [{"field": "đất đai", "count": 9}, {"field": "môi trường", "count": 4},
                                      {"field": "an sinh xã hội", "count": 5}],
                "answered_at_meeting": 12,
                "conclusions": ["Ghi nhận tinh thần thẳng thắn, xây dựng của nhân dân & các đại biểu.",
                                "Các kiến nghị có cơ sở phải được giải quyết dứt điểm, không để kéo dài."],
                "assignments": [
                    {"agency": "Ban cán sự đảng UBND tỉnh", "task": "chỉ đạo giải quyết hồ sơ đất đai tồn đọng",
                     "due": "2025-03-31"},
                    {"agency": "Ban Dân vận Tỉnh ủy", "task": "theo dõi, đôn đốc việc thực hiện Thông báo này",
                     "due": None},
                ],
            },
        ),
        TemplateSpec(
            name="ke_hoach",
            title="Kế hoạch tổ chức tiếp xúc, đối thoại trong năm",
            doc_type="ke_hoach",
            type_abbrev="KH",
            model=KeHoach,
            example={
                "header": _header(issue_date="2025-01-15", signer={"authority": "T/M BAN THƯỜNG VỤ",
                                  "position": "PHÓ BÍ THƯ", "name": "Lê Thị Cúc"}),
                "year": 2025,
                "grounds": ["Quy định số 11-QĐi/TW, ngày 18/02/2019 của Bộ Chính trị",
                            "Quyết định số 1681-QĐ/TU, ngày 23/01/2019 của Ban Thường vụ Tỉnh ủy"],
                "purposes": ["Nắm bắt tâm tư, nguyện vọng của nhân dân; giải quyết kịp thời các kiến nghị."],
                "requirements": ["Tổ chức dân chủ, thiết thực; ban hành thông báo kết luận trong 07 ngày làm việc."],
                "topics": ["đất đai, giải phóng mặt bằng", "môi trường", "an sinh xã hội"],
                "schedule": [
                    {"time": "Tháng 3/2025", "place": "huyện Phụng Hiệp", "participants": "nhân dân",
                     "chair": "Bí thư Tỉnh ủy", "content": "đất đai, giải phóng mặt bằng"},
                    {"time": "Tháng 8/2025", "place": "thành phố Vị Thanh", "participants": "doanh nghiệp",
                     "chair": "Chủ tịch UBND tỉnh", "content": "thủ tục hành chính"},
                ],
                "responsibilities": [
                    {"agency": "Ban Dân vận Tỉnh ủy", "tasks": "chủ trì, tham mưu tổ chức; tổng hợp kết quả"},
                    {"agency": "Văn phòng Tỉnh ủy", "tasks": "chuẩn bị điều kiện, dự thảo thông báo kết luận"},
                ],
            },
        ),
        TemplateSpec(
            name="bao_cao_ket_qua",
            title="Báo cáo kết quả tiếp xúc, đối thoại (năm hoặc nhiều năm)",
            doc_type="bao_cao",
            type_abbrev="BC",
            model=BaoCaoKetQua,
            example={
                "header": _header(number=215, issue_date="2025-11-25", signer={"authority": "T/M BAN THƯỜNG VỤ",
                                  "position": "PHÓ BÍ THƯ", "name": "Lê Thị Cúc"}),
                "period_from": "2025-01-01",
                "period_to": "2025-11-15",
                "situation": "Các cấp ủy, chính quyền triển khai nghiêm túc kế hoạch tiếp xúc, đối thoại năm 2025.",
                "statistics": [
                    {"level": "tinh", "so_cuoc": 4, "luot_nguoi": 1120, "so_y_kien": 96,
                     "so_y_kien_da_giai_quyet": 90, "so_y_kien_dang_giai_quyet": 6},
                    {"level": "huyen", "so_cuoc": 38, "luot_nguoi": 4870, "so_y_kien": 512,
                     "so_y_kien_da_giai_quyet": 480, "so_y_kien_dang_giai_quyet": 25, "so_y_kien_chuyen_cap_tren": 7},
                    {"level": "xa", "so_cuoc": 421, "luot_nguoi": 30115, "so_y_kien": 2744,
                     "so_y_kien_da_giai_quyet": 2700, "so_y_kien_dang_giai_quyet": 44},
                ],
                "strengths": ["Đối thoại dân chủ, cởi mở; nhiều vụ việc phức tạp được giải quyết dứt điểm."],
                "limitations": ["Một số thông báo kết luận ban hành chậm."],
                "tasks": ["Tiếp tục đôn đốc giải quyết các ý kiến đang giải quyết."],
            },
        ),
        TemplateSpec(
            name="bao_cao_tong_hop",
            title="Báo cáo tổng hợp kết quả của các đơn vị",
            doc_type="bao_cao",
            type_abbrev="BC",
            model=BaoCaoTongHop,
            example={
                "header": _header(issuer="BAN DÂN VẬN", superior="TỈNH ỦY HẬU GIANG", issuer_code="BDVTU", number=88,
                                  issue_date="2025-12-12", signer={"authority": None, "position": "TRƯỞNG BAN",
                                  "name": "Phạm Văn Đức"}),
                "period_from": "2025-01-01",
                "period_to": "2025-11-30",
                "units": [
                    {"unit": "Huyện ủy Phụng Hiệp", "stats": {"level": "huyen", "so_cuoc": 12, "luot_nguoi": 1540,
                     "so_y_kien": 236, "so_y_kien_da_giai_quyet": 220}, "source": "45-BC/HU"},
                    {"unit": "Thành ủy Vị Thanh", "stats": {"level": "huyen", "so_cuoc": 9, "luot_nguoi": 1210,
                     "so_y_kien": 175, "so_y_kien_da_giai_quyet": 168}, "source": "31-BC/ThU"},
                ],
                "assessment": "Các đơn vị thực hiện đúng quy chế, báo cáo đúng hạn.",
                "tasks": ["Đôn đốc các đơn vị hoàn thành giải quyết ý kiến tồn đọng trước 31/3."],
            },
        ),
    ]
}  # fmt: skip
