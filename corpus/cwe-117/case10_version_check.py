import logging

from django.http import HttpResponseForbidden

logger = logging.getLogger("security")


def _clean(value: str) -> str:
    return value.replace("\r", "").replace("\n", "")


def api_view(request):
    if request.headers.get("X-Api-Version") != "2":
        agent = _clean(request.headers.get("User-Agent", "-"))
        logger.warning("rejected client with unsupported version, agent=%s", agent)
        return HttpResponseForbidden()
    return None
