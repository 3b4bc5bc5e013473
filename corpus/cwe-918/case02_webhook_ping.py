import requests
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse


@login_required
def test_webhook(request):
    callback = request.POST["callback_url"]
    resp = requests.post(callback, json={"event": "ping"}, timeout=5)
    return JsonResponse({"status": resp.status_code, "body": resp.text[:500]})
