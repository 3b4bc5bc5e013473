import logging
import uuid

from django.http import JsonResponse

logger = logging.getLogger(__name__)


def status(request):
    try:
        request_id = uuid.UUID(request.GET.get("request_id", ""))
    except ValueError:
        return JsonResponse({"error": "bad request id"}, status=400)
    logger.info("status lookup for request %s", request_id)
    return JsonResponse({"request_id": str(request_id), "state": "done"})
