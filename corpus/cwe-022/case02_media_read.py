import os

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound


def attachment(request):
    rel = request.GET.get("file", "")
    full = os.path.join(settings.MEDIA_ROOT, "attachments", rel)
    if not os.path.isfile(full):
        return HttpResponseNotFound()
    with open(full, "rb") as fh:
        data = fh.read()
    return HttpResponse(data, content_type="application/octet-stream")
