from django.contrib import messages
from django.shortcuts import redirect

from newsletter.models import Subscription


def subscribe(request):
    Subscription.objects.get_or_create(email=request.POST["email"])
    messages.success(request, "Subscribed!")
    return redirect(request.POST.get("next", "/"))
