import html

from django.http import HttpResponse


def search(request):
    q = request.GET.get("q", "")
    return HttpResponse(f"<h2>Results for {html.escape(q)}</h2><p>No results.</p>")
