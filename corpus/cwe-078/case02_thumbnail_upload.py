import os

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse


def upload_avatar(request):
    upload = request.FILES.get("avatar")
    if upload is None:
        return HttpResponseBadRequest("no file")
    target = os.path.join(settings.MEDIA_ROOT, "avatars", upload.name)
    with open(target, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    os.system("convert '%s' -resize 128x128 '%s.thumb.png'" % (target, target))
    return JsonResponse({"ok": True})
