"""What a locked-out client gets from django-axes: the zh-Hans page in a browser, JSON from the API."""

import datetime

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, credentials=None, *args, **kwargs):
    hours = settings.AXES_COOLOFF_TIME
    minutes = int(hours * 60)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "locked_out",
                "detail": _("连续输错密码次数过多，账号已被暂时锁定，请 %(m)d 分钟后再试或联系系统管理员。") % {"m": minutes},
            },
            status=429,
        )
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_timedelta": datetime.timedelta(hours=hours)},
        status=429,
    )
