import random
import string

from django.core.mail import send_mail
from django.http import JsonResponse

from accounts.models import PasswordReset, User


def request_reset(request):
    user = User.objects.get(email=request.POST["email"])
    alphabet = string.ascii_letters + string.digits
    token = "".join(random.choice(alphabet) for _ in range(32))
    PasswordReset.objects.create(user=user, token=token)
    send_mail("Reset your password", f"https://example.com/reset/{token}", None, [user.email])
    return JsonResponse({"sent": True})
