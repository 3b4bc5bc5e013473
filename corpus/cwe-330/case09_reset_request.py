import secrets

from django.core.mail import send_mail
from django.http import JsonResponse

from accounts.models import PasswordReset, User


def request_reset(request):
    user = User.objects.get(email=request.POST["email"])
    token = secrets.token_urlsafe(32)
    PasswordReset.objects.create(user=user, token=token)
    send_mail("Reset your password", f"https://example.com/reset/{token}", None, [user.email])
    return JsonResponse({"sent": True})
