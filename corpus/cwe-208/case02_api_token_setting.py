from django.conf import settings
from django.http import HttpResponse, JsonResponse


def metrics(request):
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if token != settings.METRICS_TOKEN:
        return HttpResponse(status=401)
    return JsonResponse({"requests": 1234})
