"""Template context shared by every page: the user's roles and the navigation they lead to."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lawenforce.access import Role, officer_of, roles_of

STAFF_ROLES = {Role.OFFICER, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER}


def nav_items(roles, officer, current):
    """The navigation links for a set of roles: (key, label, url, is_current), no duplicates.

    - officer, agency head, legal reviewer: 工作台, 我的案件, 本单位, 人员与执法证;
    - legal reviewer also: 法制审核 (the review queue);
    - supervisor: 工作台, 辖区案件, 辖区执法主体;
    - system administrator: 工作台, 执法主体, 管理后台;
    - everyone: 公开查询.
    """
    items = []
    if roles:
        items.append(("home", _("工作台"), reverse("home")))
    if roles & STAFF_ROLES and officer is not None and Role.SUPERVISOR not in roles:
        items.append(("cases", _("我的案件"), reverse("cases:list")))
    if Role.LEGAL_REVIEWER in roles and officer is not None and Role.SUPERVISOR not in roles:
        items.append(("reviews", _("法制审核"), reverse("cases:review-queue")))
    if Role.SUPERVISOR in roles:
        items.append(("cases", _("辖区案件"), reverse("cases:list")))
    if roles & STAFF_ROLES and officer is not None:
        items.append(("own-agency", _("本单位"), reverse("agency-detail", args=[officer.agency_id])))
        items.append(("officer-list", _("人员与执法证"), reverse("officer-list")))
    if Role.SUPERVISOR in roles:
        items.append(("agency-list", _("辖区执法主体"), reverse("agency-list")))
    # Supervision (issue 6): the dashboard and evaluation for supervisors; alerts and notices for
    # both sides (an agency answers its own).
    # Officers of an agency or of a justice bureau: both sides of supervision and disclosure.
    staff_or_supervisor = bool(roles & (STAFF_ROLES | {Role.SUPERVISOR})) and officer is not None
    if Role.SUPERVISOR in roles:
        items.append(("supervision", _("监督看板"), reverse("supervision:dashboard")))
    if staff_or_supervisor:
        items.append(("supervision-alerts", _("监督预警"), reverse("supervision:alerts")))
        items.append(("supervision-notices", _("监督文书"), reverse("supervision:notices")))
    if Role.SUPERVISOR in roles:
        items.append(("supervision-evaluations", _("案卷评查"), reverse("supervision:samples")))
        items.append(("supervision-performance", _("执法考核"), reverse("supervision:performance-list")))
    if Role.SYSADMIN in roles:
        if Role.SUPERVISOR not in roles:
            items.append(("agency-list", pgettext_lazy("nav", "执法主体"), reverse("agency-list")))
        items.append(("admin", _("管理后台"), reverse("admin:index")))
    # The disclosure platform's agency side (issue 5): annual statistics, the random-inspection list
    # (agencies keep it), complaints (the sysadmin assigns unroutable ones), published records.
    if staff_or_supervisor:
        items.append(("disclosure-annual", _("年度统计公开"), reverse("disclosure-annual:list")))
    if roles & STAFF_ROLES and officer is not None:
        items.append(("disclosure-inspections", _("随机抽查事项"), reverse("disclosure-inspections:list")))
    if staff_or_supervisor or Role.SYSADMIN in roles:
        items.append(("complaints", _("投诉举报"), reverse("complaints:queue")))
    if staff_or_supervisor:
        items.append(("disclosure", _("公示管理"), reverse("disclosure_records:list")))
    if roles and (officer is not None or Role.SYSADMIN in roles):  # enforcement analytics (issue 7)
        items.append(("analytics", _("数据分析"), reverse("analytics:overview")))
    items.append(("public-home", _("公开查询"), reverse("public-home")))
    return [{"key": key, "label": label, "url": url, "current": key == current} for key, label, url in items]


def _current_key(request, officer):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.url_name == "agency-detail" and officer is not None and match.kwargs.get("pk") == officer.agency_id:
        return "own-agency"
    if match.url_name == "officer-detail":
        return "officer-list"
    if match.url_name == "agency-detail":
        return "agency-list"
    if match.app_name in ("analytics", "complaints", "disclosure-annual", "disclosure-inspections"):
        return match.app_name
    if match.app_name == "disclosure_records":
        return "disclosure"
    if match.app_name == "supervision":
        name = match.url_name or ""
        for prefix, key in (
            ("alert", "supervision-alerts"),
            ("rules", "supervision-alerts"),
            ("notice", "supervision-notices"),
            ("sample", "supervision-evaluations"),
            ("evaluation", "supervision-evaluations"),
            ("assign", "supervision-evaluations"),
            ("performance", "supervision-performance"),
        ):
            if name.startswith(prefix):
                return key
        return "supervision"
    if match.app_name == "cases":
        return "reviews" if match.url_name in ("review-queue", "review") else "cases"
    return match.url_name


def navigation(request):
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else frozenset()
    officer = officer_of(user) if user is not None else None
    return {
        "user_roles": roles,
        "user_officer": officer,
        "Role": Role,
        "nav_items": nav_items(roles, officer, _current_key(request, officer)),
    }
