import os

from django.http import HttpResponse, HttpResponseForbidden

BASE = os.path.realpath("/srv/app/attachments")


def attachment(request):
    rel = request.GET.get("file", "")
    full = os.path.realpath(os.path.join(BASE, rel))
    if not full.startswith(BASE + os.sep):
        return HttpResponseForbidden()
    with open(full, "rb") as fh:
        return HttpResponse(fh.read(), content_type="application/octet-stream")
