import hashlib
import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden


def stripe_hook(request):
    sig = request.headers.get("Stripe-Signature", "")
    expected = hmac.new(settings.STRIPE_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, expected):
        return HttpResponseForbidden()
    if request.content_type == "application/json" and request.headers.get("X-Event") == "invoice.paid":
        return HttpResponse(status=200)
    return HttpResponse(status=204)
