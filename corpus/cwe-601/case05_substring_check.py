from django.http import HttpResponseBadRequest
from django.shortcuts import redirect


def outbound(request):
    url = request.GET.get("url", "")
    if "example.com" not in url:
        return HttpResponseBadRequest("external links are not allowed")
    return redirect(url)
