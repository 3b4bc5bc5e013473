from django.http import JsonResponse

from accounts.models import User


def deactivate_user(request, user_id):
    assert request.user.is_staff, "staff only"
    user = User.objects.get(pk=user_id)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return JsonResponse({"deactivated": user_id})
