import logging

from django.http import HttpResponseForbidden

logger = logging.getLogger("security")


def api_view(request):
    if request.headers.get("X-Api-Version") != "2":
        agent = request.headers.get("User-Agent", "-")
        logger.warning(f"rejected client with unsupported version, agent={agent}")
        return HttpResponseForbidden()
    return None
