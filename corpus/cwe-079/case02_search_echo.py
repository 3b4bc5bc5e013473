from django.http import HttpResponse

from catalog.models import Product


def search(request):
    q = request.GET.get("q", "")
    hits = Product.objects.filter(name__icontains=q)[:20]
    items = "".join("<li>%s</li>" % p.name for p in hits)
    return HttpResponse("<h2>Results for " + q + "</h2><ul>" + items + "</ul>")
