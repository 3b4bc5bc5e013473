import os

from django.http import FileResponse, Http404

LOG_ROOT = "/var/log/myapp"


def view_log(request):
    requested = request.GET.get("log", "app.log")
    path = os.path.normpath(os.path.join(LOG_ROOT, requested))
    if not os.path.exists(path):
        raise Http404
    return FileResponse(open(path, "rb"), content_type="text/plain")
