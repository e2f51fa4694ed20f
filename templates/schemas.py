"""What each template needs: one pydantic model per template, with a complete example.

``doithoai templates`` lists these fields (``describe``); ``check`` in flows.generate validates
data against them and reports every problem with its field path, in Vietnamese, before anything
is rendered. Values accept what people type: ``tỉnh``, ``24/05/2019``, ``1.234`` (templates.values).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.json_schema import JsonDict

from templates.values import parse_choice, parse_date, parse_int, parse_rate

__all__ = [
    "LEVELS",
    "LEVEL_NAMES",
    "TEMPLATES",
    "Assignment",
    "BaoCaoKetQua",
    "BaoCaoTongHop",
    "Dialogue",
    "DocHeader",
    "FormField",
    "KeHoach",
    "LevelStats",
    "OpinionField",
    "Problem",
    "SignerData",
    "TemplateSpec",
    "ThongBaoKetLuan",
    "UnitReport",
    "describe",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (``error``: nothing is rendered) or doubtful (``warning``) in the data.

    ``path`` names the field as the form does: ``header.issue_date``, ``assignments[2].due``.
    """

    path: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_nfc)]
OptText = Annotated[str | None, AfterValidator(lambda s: _nfc(s) if s else None)]
VnDate = Annotated[date, BeforeValidator(parse_date)]
OptDate = Annotated[date | None, BeforeValidator(parse_date)]
Count = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(parse_int)]
Rate = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(parse_rate)]

FORMATS = {"party": ("đảng", "văn bản đảng", "hd 36"), "state": ("nhà nước", "chính quyền", "nđ 30", "nd 30")}
FORMAT_NAMES = {"party": "văn bản Đảng (HD 36-HD/VPTW)", "state": "văn bản Nhà nước (NĐ 30/2020/NĐ-CP)"}
Format = Annotated[Literal["party", "state"], BeforeValidator(lambda v: parse_choice(v, FORMATS))]

LEVELS = ("tinh", "huyen", "xa", "tong")
LEVEL_NAMES = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã", "tong": "Tổng cộng"}
_LEVEL_SPELLINGS = {"tinh": ("tỉnh", "cấp tỉnh"), "huyen": ("huyện", "cấp huyện"), "xa": ("xã", "cấp xã"),
                    "tong": ("tổng", "tổng cộng", "toàn tỉnh", "cộng")}  # fmt: skip
Level = Annotated[Literal["tinh", "huyen", "xa", "tong"], BeforeValidator(lambda v: parse_choice(v, _LEVEL_SPELLINGS))]
CHOICE_LABELS: dict[str, dict[str, str]] = {"format": FORMAT_NAMES, "level": LEVEL_NAMES}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


_END: JsonDict = {"at_end": True}  # printed at the end of the document (signature block, "Nơi nhận")


class SignerData(_Model):
    authority: OptText = Field(None, title="Thẩm quyền ký", description="vd. T/M BAN THƯỜNG VỤ, T/L BAN THƯỜNG VỤ, "
                               "K/T TRƯỞNG BAN, TM. ỦY BAN NHÂN DÂN; để trống khi người đứng đầu ký")  # fmt: skip
    position: Text = Field(title="Chức vụ người ký", description="chữ in hoa, vd. PHÓ BÍ THƯ, CHÁNH VĂN PHÒNG")
    name: Text = Field(title="Họ và tên người ký", description="vd. Nguyễn Văn An")


class DocHeader(_Model):
    format: Format = Field("party", title="Thể thức", description="cách trình bày phần đầu văn bản và chữ ký")
    superior: OptText = Field(None, title="Cơ quan cấp trên", description="chữ in hoa, vd. ĐẢNG BỘ TỈNH HẬU GIANG; "
                              "để trống nếu không có")  # fmt: skip
    issuer: Text = Field(title="Cơ quan ban hành", description="chữ in hoa, vd. TỈNH ỦY HẬU GIANG")
    issuer_code: Text = Field(title="Chữ viết tắt tên cơ quan", description="phần sau dấu / của số ký hiệu: "
                              "TU, HU, BDVTU, UBND")  # fmt: skip
    number: Annotated[Annotated[int, Field(ge=1)] | None, BeforeValidator(parse_int)] = Field(
        None, title="Số văn bản", description="thường để trống: bản dự thảo không có số, khi ban hành "
        "(doithoai issue) lấy số kế tiếp trong sổ văn bản đi")  # fmt: skip
    term: OptText = Field(None, title="Nhiệm kỳ", description="nhiệm kỳ của sổ văn bản Đảng, vd. 2025-2030; "
                          "để trống thì tính theo năm ban hành")  # fmt: skip
    place: Text = Field(title="Địa danh", description="ghi ở dòng ngày tháng, vd. Hậu Giang")
    issue_date: VnDate = Field(title="Ngày ban hành", description="vd. 05/02/2025")
    signer: SignerData = Field(title="Người ký", json_schema_extra=_END)
    recipients: list[Text] = Field(min_length=1, title="Nơi nhận", description="mỗi dòng một nơi, "
                                   "vd. Thường trực Tỉnh ủy (b/c)", json_schema_extra=_END)  # fmt: skip


class OpinionField(_Model):
    field: Text = Field(title="Lĩnh vực", description="vd. đất đai, môi trường")
    count: Annotated[int, BeforeValidator(parse_int), Field(ge=0)] = Field(title="Số ý kiến")


class Assignment(_Model):
    agency: Text = Field(title="Cơ quan được giao", description="vd. Ban cán sự đảng UBND tỉnh")
    task: Text = Field(title="Nội dung nhiệm vụ", description="viết tiếp sau tên cơ quan, vd. chỉ đạo giải quyết …")
    due: OptDate = Field(None, title="Thời hạn", description="vd. 31/03/2025; để trống nếu không có hạn")


class ThongBaoKetLuan(_Model):
    header: DocHeader = Field(title="Phần đầu văn bản")
    title: Text = Field(title="Trích yếu", description="vd. kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị "
                        "tiếp xúc, đối thoại với nhân dân huyện …")  # fmt: skip
    dialogue_date: VnDate = Field(title="Ngày tiếp xúc, đối thoại", description="vd. 24/01/2025")
    location: Text = Field(title="Địa điểm", description="vd. Hội trường UBND huyện Phụng Hiệp")
    chair: Text = Field(
        title="Người chủ trì", description="họ tên, chức vụ, vd. đồng chí Trần Văn Bình, Bí thư Tỉnh ủy"
    )
    participants: Text = Field(title="Thành phần dự")
    attendance: Count = Field(None, title="Số người dự")
    opinions_by_field: list[OpinionField] = Field(default_factory=list, title="Số ý kiến theo lĩnh vực",
                                                  description="các phần của tổng số ý kiến")  # fmt: skip
    answered_at_meeting: Count = Field(None, title="Số ý kiến trả lời ngay tại hội nghị")
    conclusions: list[Text] = Field(min_length=1, title="Các nội dung kết luận", description="mỗi mục một đoạn")
    assignments: list[Assignment] = Field(default_factory=list, title="Giao nhiệm vụ")
    closing: Text = Field(
        "Văn phòng thông báo để các cơ quan, đơn vị, địa phương liên quan biết, thực hiện.", title="Câu kết"
    )

    @property
    def opinions_total(self) -> int:
        return sum(o.count for o in self.opinions_by_field)


class Dialogue(_Model):
    time: Text = Field(title="Thời gian", description="ngày hoặc tháng, vd. Tháng 3/2025")
    place: Text = Field(title="Địa điểm")
    participants: Text = Field(title="Đối tượng, thành phần")
    chair: Text = Field(title="Người chủ trì")
    content: str = Field("", title="Nội dung, chủ đề")


class Responsibility(_Model):
    agency: Text = Field(title="Cơ quan")
    tasks: Text = Field(title="Trách nhiệm")


class KeHoach(_Model):
    header: DocHeader = Field(title="Phần đầu văn bản")
    year: Annotated[int, BeforeValidator(parse_int), Field(ge=2000, le=2100)] = Field(title="Năm của kế hoạch")
    title: OptText = Field(None, title="Trích yếu", description="để trống: tổ chức tiếp xúc, đối thoại … năm …")
    grounds: list[Text] = Field(default_factory=list, title="Căn cứ", description="mỗi dòng một văn bản")
    purposes: list[Text] = Field(min_length=1, title="Mục đích")
    requirements: list[Text] = Field(min_length=1, title="Yêu cầu")
    topics: list[Text] = Field(min_length=1, title="Nội dung, chủ đề đối thoại")
    schedule: list[Dialogue] = Field(min_length=1, title="Lịch các cuộc tiếp xúc, đối thoại")
    responsibilities: list[Responsibility] = Field(min_length=1, title="Tổ chức thực hiện")


class LevelStats(_Model):
    level: Level = Field(title="Cấp", description="gõ tỉnh, huyện, xã hoặc tổng cũng được")
    so_cuoc: Count = Field(None, title="Số cuộc")
    luot_nguoi: Count = Field(None, title="Lượt người dự")
    so_y_kien: Count = Field(None, title="Số ý kiến tiếp nhận")
    so_y_kien_da_giai_quyet: Count = Field(None, title="Đã giải quyết")
    so_y_kien_dang_giai_quyet: Count = Field(None, title="Đang giải quyết")
    so_y_kien_chuyen_cap_tren: Count = Field(None, title="Chuyển cấp trên")
    ty_le_giai_quyet: Rate = Field(None, title="Tỷ lệ giải quyết (%)", description="để trống thì tự tính; "
                                   "nếu ghi thì được so với số liệu")  # fmt: skip


class _PeriodReport(_Model):
    """A report over a period: the header, and the period it covers."""

    header: DocHeader = Field(title="Phần đầu văn bản")
    period_from: VnDate = Field(title="Kỳ báo cáo từ ngày", description="vd. 01/01/2025")
    period_to: VnDate = Field(title="Đến ngày", description="vd. 15/11/2025")


class BaoCaoKetQua(_PeriodReport):
    title: OptText = Field(None, title="Trích yếu", description="để trống: kết quả tiếp xúc, đối thoại … năm …")
    situation: Text = Field(title="Đặc điểm tình hình, công tác triển khai")
    statistics: list[LevelStats] = Field(default_factory=list, title="Số liệu theo cấp",
                                         description="để trống thì lấy từ các thông báo kết luận đã ban hành "
                                         "trong kho")  # fmt: skip
    strengths: list[Text] = Field(min_length=1, title="Ưu điểm")
    limitations: list[Text] = Field(default_factory=list, title="Hạn chế, nguyên nhân")
    tasks: list[Text] = Field(min_length=1, title="Nhiệm vụ, giải pháp thời gian tới")
    source_issuer: OptText = Field(None, title="Chỉ lấy số liệu của cơ quan", description="có dấu hoặc không; "
                                   "để trống: mọi cơ quan trong tỉnh")  # fmt: skip


class UnitReport(_Model):
    unit: Text = Field(title="Đơn vị")
    stats: LevelStats = Field(title="Số liệu")
    source: OptText = Field(None, title="Số ký hiệu báo cáo nguồn", description="vd. 45-BC/HU")


class BaoCaoTongHop(_PeriodReport):
    title: OptText = Field(None, title="Trích yếu", description="để trống: tổng hợp kết quả … năm …")
    units: list[UnitReport] = Field(default_factory=list, title="Số liệu từng đơn vị",
                                    description="để trống thì tổng hợp từ các báo cáo trong kho")  # fmt: skip
    assessment: Text = Field(title="Đánh giá chung")
    tasks: list[Text] = Field(min_length=1, title="Nhiệm vụ thời gian tới")


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
                "header": _header(issue_date="2025-11-25", signer={"authority": "T/M BAN THƯỜNG VỤ",
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
                "header": _header(issuer="BAN DÂN VẬN", superior="TỈNH ỦY HẬU GIANG", issuer_code="BDVTU",
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


Kind = Literal["text", "date", "integer", "number", "choice", "lines", "group", "repeat"]


@dataclass(frozen=True)
class FormField:
    """One field of a template's form, in the order of the document.

    ``path`` is the full path in the data (``header.signer.name``; items of a repeating group
    as ``assignments[].due``); ``name`` the key inside its group. ``kind``: text, date (written
    24/05/2019), integer, number (a rate, 93,75), choice (``choices`` = (value, label) pairs),
    lines (a list of texts), group (``fields`` inside), repeat (a list of groups of ``fields``).
    """

    name: str
    path: str
    label: str
    kind: Kind
    required: bool
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    min_items: int = 0
    fields: tuple[FormField, ...] = ()
    at_end: bool = False


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside ``X | None`` / ``Annotated[X, …]``, and whether None is allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or type(annotation).__name__ == "UnionType":
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _kind(annotation: Any) -> tuple[Kind, Any]:
    if get_origin(annotation) is list:
        item, _ = _unwrap(get_args(annotation)[0])
        return ("repeat", item) if isinstance(item, type) and issubclass(item, BaseModel) else ("lines", item)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "group", annotation
    if get_origin(annotation) is Literal:
        return "choice", get_args(annotation)
    if annotation is date:
        return "date", None
    if annotation is int:
        return "integer", None
    if annotation is float:
        return "number", None
    return "text", None


def _form(model: type[BaseModel], prefix: str) -> tuple[FormField, ...]:
    out: list[FormField] = []
    for name, info in model.model_fields.items():
        annotation, optional = _unwrap(info.annotation)
        kind, inner = _kind(annotation)
        path = f"{prefix}{name}"
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        min_items = next((getattr(m, "min_length", 0) or 0 for m in info.metadata if hasattr(m, "min_length")), 0)
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        out.append(
            FormField(
                name=name,
                path=path,
                label=info.title or name,
                kind=kind,
                required=info.is_required() and not optional,
                help=info.description or "",
                choices=tuple((v, CHOICE_LABELS.get(name, {}).get(v, v)) for v in inner) if kind == "choice" else (),
                default=default if isinstance(default, str | int | float) else None,
                min_items=min_items,
                fields=_form(inner, f"{path}[]." if kind == "repeat" else f"{path}.")
                if kind in ("group", "repeat")
                else (),
                at_end=bool(extra.get("at_end")),
            )
        )
    return tuple(out)


def describe(name: str) -> tuple[FormField, ...]:
    """The form of template ``name``: its fields in the order of the document, with Vietnamese
    labels, allowed values and repeating groups (for ``templates --example`` and the web form).

    The signature block and "Nơi nhận" (kept in ``header`` in the data) come last, where the
    document prints them, as a group of their own with their full paths.
    """
    spec = TEMPLATES[name]
    fields = list(_form(spec.model, ""))
    tail: list[FormField] = []
    for i, f in enumerate(fields):
        if f.kind == "group":
            keep = tuple(sub for sub in f.fields if not sub.at_end)
            tail += [sub for sub in f.fields if sub.at_end]
            fields[i] = FormField(**{**f.__dict__, "fields": keep})
    return tuple(fields + tail)
