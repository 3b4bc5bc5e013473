import xml.etree.ElementTree as ET

from django.http import JsonResponse


def import_feed(request):
    root = ET.fromstring(request.body)
    titles = [item.findtext("title") for item in root.iter("item")]
    return JsonResponse({"titles": titles})
