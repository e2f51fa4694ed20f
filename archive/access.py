"""Who is asking, and what they may see: roles, clearances and the one visibility rule.

Every page, API endpoint and CLI call that reads the archive works on behalf of a
:class:`Principal`. A document is visible to a principal when its confidentiality is at
or below the principal's clearance (see :func:`may_see`); search backends turn the same
rule into a filter inside the query (:func:`visible_levels`), so totals, facets and
pagination never count what the asker may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CLEARANCES",
    "CLEARANCE_LABELS",
    "LOCAL_OPERATOR",
    "PUBLIC_LEVEL",
    "ROLES",
    "ROLE_LABELS",
    "Clearance",
    "Principal",
    "Role",
    "may_see",
    "visible_levels",
]

Role = Literal["viewer", "clerk", "admin"]
Clearance = Literal["none", "mat", "toi_mat", "tuyet_mat"]

ROLES: tuple[Role, ...] = ("viewer", "clerk", "admin")
CLEARANCES: tuple[Clearance, ...] = ("none", "mat", "toi_mat", "tuyet_mat")
ROLE_LABELS: dict[str, str] = {"viewer": "Người xem", "clerk": "Văn thư", "admin": "Quản trị"}
CLEARANCE_LABELS: dict[str, str] = {"none": "Không", "mat": "MẬT", "toi_mat": "TỐI MẬT", "tuyet_mat": "TUYỆT MẬT"}

# The confidentiality value a document without a mark is indexed under (never null in an index).
PUBLIC_LEVEL = "none"


@dataclass(frozen=True)
class Principal:
    """The user a request or command acts for. Re-read from the account store on every request."""

    name: str
    role: Role
    clearance: Clearance

    def has_role(self, needed: Role) -> bool:
        """Roles are ordered: admin ⊃ clerk ⊃ viewer."""
        return ROLES.index(self.role) >= ROLES.index(needed)


# The shell user on the archive's own machine (CLI): can already read every file under
# DOITHOAI_HOME, so the CLI acts with full clearance. Never used for a network request.
LOCAL_OPERATOR = Principal(name="(máy chủ)", role="admin", clearance="tuyet_mat")


def visible_levels(clearance: Clearance) -> tuple[str, ...]:
    """The confidentiality values (``PUBLIC_LEVEL`` for unmarked) a clearance may see."""
    return CLEARANCES[: CLEARANCES.index(clearance) + 1]


def may_see(principal: Principal, confidentiality: str | None) -> bool:
    return (confidentiality or PUBLIC_LEVEL) in visible_levels(principal.clearance)
