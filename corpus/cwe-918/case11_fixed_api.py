import requests
from django.http import JsonResponse

CRM_API = "https://crm.example.com/api/v2"


def customer_card(request):
    customer_id = int(request.GET["id"])
    resp = requests.get(f"{CRM_API}/customers/{customer_id}", timeout=5)
    return JsonResponse(resp.json())
