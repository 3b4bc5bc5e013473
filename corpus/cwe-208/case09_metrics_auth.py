import secrets

from django.conf import settings
from django.http import HttpResponse, JsonResponse


def metrics(request):
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not secrets.compare_digest(token, settings.METRICS_TOKEN):
        return HttpResponse(status=401)
    return JsonResponse({"requests": 1234})
