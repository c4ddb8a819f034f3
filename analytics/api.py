"""Read-only JSON of the indicator snapshots: `GET /api/v1/analytics/indicators/?scope=r370800&period=2025`.

The same scope rules as the pages (analytics/scope.py): supervisors their region and below,
officers their own agency; anything else answers 404.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from analytics import queries
from analytics import scope as scopes
from analytics.indicators import INDICATORS
from analytics.views.common import parse_period


def _number(value):
    return None if value is None else str(value)


@extend_schema(
    parameters=[
        OpenApiParameter("scope", str, description="r<区划代码> 或 a<执法主体 id>；默认为本人的范围"),
        OpenApiParameter("period", str, description="2025、2025-Q1 或 2025-03；默认为今年"),
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
def indicator_values(request):
    scope = scopes.resolve(request.user, request.query_params.get("scope", ""))
    period = parse_period(request)
    found = queries.values(scope, period)
    return Response(
        {
            "scope": {"key": scope.key, "name": scope.name, "level": str(scope.level_label)},
            "period": str(period),
            "indicators": [
                {
                    "code": ind.code,
                    "name": str(ind.name),
                    "unit": ind.unit,
                    "available": ind.available,
                    "numerator": found[ind.code].numerator if ind.code in found else None,
                    "denominator": found[ind.code].denominator if ind.code in found else None,
                    "value": _number(found[ind.code].value) if ind.code in found else None,
                    "definition": {
                        "numerator": str(ind.numerator),
                        "denominator": str(ind.denominator),
                        "period": str(ind.period),
                        "level": str(ind.level),
                        "choice": str(ind.choice),
                    },
                }
                for ind in INDICATORS
            ],
        }
    )
