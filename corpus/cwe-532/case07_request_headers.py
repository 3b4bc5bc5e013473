import logging

from django.http import JsonResponse

logger = logging.getLogger(__name__)


def echo(request):
    logger.debug("incoming headers: %s", dict(request.headers))
    return JsonResponse({"ok": True})
