import requests
from django.http import JsonResponse


def node_status(request):
    node = request.GET.get("node", "node-1")
    resp = requests.get(f"http://{node}:9100/status", timeout=3)
    return JsonResponse(resp.json())
