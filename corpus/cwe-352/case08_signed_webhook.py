import hashlib
import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def payment_webhook(request):
    expected = hmac.new(settings.PAYMENT_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), request.headers.get("X-Signature", "")):
        return HttpResponseForbidden()
    return HttpResponse(status=204)
