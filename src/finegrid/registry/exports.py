"""The ledger's columns, the blank .xlsx template and the people export.

The columns are named in Chinese (as the community's ledgers are) with the English beside them;
the importer reads either. Exports carry exactly what the screens show: masked ID and phone.
"""

from __future__ import annotations

import re
import tempfile
from typing import IO, Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font

from finegrid.core.audit import audit_record
from finegrid.core.errors import NotFound
from finegrid.core.models import AuditAction
from finegrid.grids.models import Grid
from finegrid.registry.models import DocumentType, Gender, Relation, ResidenceStatus
from finegrid.registry.permissions import access_export
from finegrid.registry.selectors import person_list, registry_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# field → (Chinese header, English header), in the template's order
COLUMNS: dict[str, tuple[str, str]] = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "id_number"),
    "document_type": ("证件类型", "document_type"),
    "phone": ("手机号", "phone"),
    "gender": ("性别", "gender"),
    "birth_date": ("出生日期", "birth_date"),
    "residence_status": ("居住状态", "residence_status"),
    "relation": ("与户主关系", "relation"),
    "address": ("住址", "address"),
    "household_id": ("户ID", "household_id"),
    "is_party_member": ("党员", "is_party_member"),
    "is_veteran": ("退役军人", "is_veteran"),
    "occupation": ("职业", "occupation"),
    "notes": ("备注", "notes"),
}
REQUIRED = ("name", "id_number")
_SYNONYMS = {
    "id_number": ["身份证号码", "公民身份号码", "证件号码", "证件号", "idnumber", "id"],
    "phone": ["手机", "电话", "联系电话", "手机号码", "mobile"],
    "address": ["住址/户", "地址", "户", "household", "householdaddress"],
    "household_id": ["户id", "户编号", "householdid"],
    "is_party_member": ["是否党员", "partymember"],
    "is_veteran": ["是否退役军人", "veteran"],
    "relation": ["关系", "与户主关系"],
    "document_type": ["documenttype"],
    "birth_date": ["出生年月日", "birthdate", "dateofbirth"],
    "residence_status": ["户籍状态", "residencestatus"],
}


# what the template's guide sheet says each column takes
HINTS: dict[str, Any] = {
    "name": _("Required."),
    "id_number": _("18 characters; format the column as text. Empty for a person without one."),
    "document_type": _("身份证 / 护照 / 其他 / 无; empty means 身份证 when a number is given."),
    "phone": _("Mainland mobile number, 11 digits."),
    "gender": _("男 / 女; taken from the ID number when it has one."),
    "birth_date": _("1990-01-31; taken from the ID number when it has one."),
    "residence_status": _("户籍 / 流动 / 租住 / 其他."),
    "relation": _("户主 / 配偶 / 子女 / 父母 / 孙子女 / 祖父母 / 兄弟姐妹 / 租客 / 其他."),
    "address": _("The household's address exactly as the registry shows it."),
    "household_id": _("Instead of the address: the household's number in the registry."),
    "is_party_member": _("是 / 否."),
    "is_veteran": _("是 / 否."),
    "occupation": _("Free text."),
    "notes": _("Free text."),
}


def normalize_header(text: Any) -> str:
    """``"姓名 (name)*"`` → ``"姓名"``: spaces, required marks and bracketed notes dropped."""
    value = str(text or "").strip().lower()
    value = re.sub(r"[（(][^）)]*[）)]", "", value)
    return re.sub(r"[\s*＊_:：]", "", value)


ALIASES: dict[str, str] = {
    normalize_header(alias): name
    for name, (zh, en) in COLUMNS.items()
    for alias in (zh, en, *_SYNONYMS.get(name, []))
}

# cell text (Chinese or the code itself) → code
CHOICES: dict[str, dict[str, str]] = {
    "gender": {"男": Gender.MALE, "女": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE},
    "document_type": {
        "身份证": DocumentType.ID_CARD,
        "居民身份证": DocumentType.ID_CARD,
        "护照": DocumentType.PASSPORT,
        "其他": DocumentType.OTHER,
        "其他证件": DocumentType.OTHER,
        "无": DocumentType.NONE,
        "无证件": DocumentType.NONE,
    },
    "residence_status": {
        "户籍": ResidenceStatus.REGISTERED,
        "常住": ResidenceStatus.REGISTERED,
        "流动": ResidenceStatus.MIGRANT,
        "流动人口": ResidenceStatus.MIGRANT,
        "租住": ResidenceStatus.TENANT,
        "其他": ResidenceStatus.OTHER,
    },
    "relation": {
        "户主": Relation.HEAD,
        "本人": Relation.HEAD,
        "配偶": Relation.SPOUSE,
        "妻": Relation.SPOUSE,
        "夫": Relation.SPOUSE,
        "子女": Relation.CHILD,
        "子": Relation.CHILD,
        "女": Relation.CHILD,
        "父母": Relation.PARENT,
        "孙子女": Relation.GRANDCHILD,
        "祖父母": Relation.GRANDPARENT,
        "兄弟姐妹": Relation.SIBLING,
        "租客": Relation.TENANT,
        "其他": Relation.OTHER,
    },
}
for _name, _choices in (
    ("gender", Gender),
    ("document_type", DocumentType),
    ("residence_status", ResidenceStatus),
    ("relation", Relation),
):
    CHOICES[_name].update({c: c for c in _choices.values})
YES = {"是", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "no", "n", "false", "0", "×"}
# code → the cell text an export writes (the first Chinese word for each code)
LABELS: dict[str, dict[str, str]] = {
    name: {code: text for text, code in reversed(list(m.items())) if text != code}
    for name, m in CHOICES.items()
}


def _header_rows(ws: Any, fields: list[str], *, hints: bool) -> None:
    bold = Font(bold=True)
    top, second = [], []
    for name in fields:
        zh, en = COLUMNS[name]
        cell = WriteOnlyCell(ws, value=zh)
        cell.font = bold
        if hints:
            cell.comment = Comment(f"{en}: {HINTS[name]}", "finegrid")
        top.append(cell)
        second.append(WriteOnlyCell(ws, value=en))
    ws.append(top)
    ws.append(second)


def people_template(out: IO[bytes]) -> None:
    """The blank ledger: Chinese headers, English keys in the second row (the importer skips
    it), a comment on each header and a guide sheet with the accepted values."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员 people")
    for index in range(len(COLUMNS)):
        ws.column_dimensions[chr(ord("A") + index)].width = 18
    _header_rows(ws, list(COLUMNS), hints=True)
    guide = wb.create_sheet("说明 guide")
    guide.append(["列 column", "field", "填写 how to fill"])
    for name, (zh, en) in COLUMNS.items():
        guide.append([zh, en, str(HINTS[name])])
    wb.save(out)


EXPORT_FIELDS = [
    "name",
    "id_number",
    "document_type",
    "phone",
    "gender",
    "birth_date",
    "residence_status",
    "relation",
    "address",
    "household_id",
    "is_party_member",
    "is_veteran",
    "occupation",
    "notes",
]


def _storable_cells(values: list[Any]) -> list[Any]:
    # Input refuses control characters (core.text), but a row written before that rule, or
    # around it, must not turn the whole community's export into an error: XML 1.0, and so
    # openpyxl, cannot carry them at all.
    return [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]


def people_export(*, user: Any, grid: str | None = None, request: HttpRequest | None = None) -> Any:
    """The people of the user's jurisdiction (under ``grid``), masked as on screen, as an
    .xlsx in a temporary file (streamed out by the caller); one audit row with the count."""
    access_export(user)
    target = None
    if grid:
        target = Grid.objects.filter(code=grid).only("path").first()
        if target is None or not registry_scope(user).covers(target.path):
            raise NotFound(_("No grid with this code in your jurisdiction."), field="grid")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员 people")
    _header_rows(ws, EXPORT_FIELDS, hints=False)
    count = 0
    yes, no = "是", "否"
    people = person_list(user=user, grid=grid).only(
        "name",
        "id_number_masked",
        "phone_masked",
        "document_type",
        "gender",
        "birth_date",
        "residence_status",
        "relation",
        "household__address",
        "household_id",
        "is_party_member",
        "is_veteran",
        "occupation",
        "notes",
        "grid_path",
    )
    for p in people.iterator(chunk_size=2000):
        ws.append(
            _storable_cells(
                [
                    p.name,
                    p.id_number_masked,
                    LABELS["document_type"].get(p.document_type, p.document_type),
                    p.phone_masked,
                    LABELS["gender"].get(p.gender, ""),
                    p.birth_date,
                    LABELS["residence_status"].get(p.residence_status, p.residence_status),
                    LABELS["relation"].get(p.relation, p.relation),
                    p.household.address if p.household else "",
                    p.household_id,
                    yes if p.is_party_member else no,
                    yes if p.is_veteran else no,
                    p.occupation,
                    p.notes,
                ]
            )
        )
        count += 1
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    wb.save(out)
    out.seek(0)
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        target_type="person",
        label=f"{grid or '*'} × {count}",
        fields=["id_number_masked", "phone_masked", *EXPORT_FIELDS[:1]],
        request=request,
        grid_path=target.path if target else "",
    )
    return out, count
