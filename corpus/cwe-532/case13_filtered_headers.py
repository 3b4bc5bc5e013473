import logging

from django.http import JsonResponse

logger = logging.getLogger(__name__)
REDACT = {"authorization", "cookie", "x-api-key"}


def echo(request):
    safe = {k: v for k, v in request.headers.items() if k.lower() not in REDACT}
    logger.debug("incoming headers: %s", safe)
    return JsonResponse({"ok": True})
