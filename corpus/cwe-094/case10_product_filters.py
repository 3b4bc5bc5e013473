import ast

from django.http import JsonResponse

from shop.models import Product

ALLOWED_KEYS = {"category", "brand", "in_stock"}


def filtered_products(request):
    raw = request.POST.get("filters", "{}")
    filters = ast.literal_eval(raw)
    if not isinstance(filters, dict) or set(filters) - ALLOWED_KEYS:
        return JsonResponse({"error": "bad filters"}, status=400)
    products = Product.objects.filter(**filters).values("id", "name")[:100]
    return JsonResponse({"products": list(products)})
