from django.http import JsonResponse
from lxml import etree


def import_products(request):
    count = 0
    for _, elem in etree.iterparse(
        request.FILES["catalog"], events=("end",), tag="product", load_dtd=True, resolve_entities=True
    ):
        count += 1
        elem.clear()
    return JsonResponse({"imported": count})
