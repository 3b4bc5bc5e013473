import logging

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

logger = logging.getLogger("accounts")


@login_required
def change_password(request):
    new_password = request.POST["new_password"]
    request.user.set_password(new_password)
    request.user.save()
    logger.info("password changed for user %s", request.user.username)
    return JsonResponse({"changed": True})
