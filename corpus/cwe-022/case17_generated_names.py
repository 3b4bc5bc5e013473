import json
import os
import uuid

from django.conf import settings
from django.http import JsonResponse


def upload(request):
    upload = request.FILES["document"]
    stored = uuid.uuid4().hex
    path = os.path.join(settings.MEDIA_ROOT, "documents", stored)
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    with open(path + ".json", "w") as meta:
        json.dump({"original_name": upload.name, "size": upload.size}, meta)
    return JsonResponse({"id": stored})
