from django.http import JsonResponse
from django.views.decorators.csrf import csrf_protect

from shop.models import Product


@csrf_protect
def filtered_products(request):
    raw = request.POST.get("filters", "{}")
    filters = eval(raw)
    products = Product.objects.filter(**filters).values("id", "name")[:100]
    return JsonResponse({"products": list(products)})
