from django.http import HttpResponse
from django.template import Context, Template

SIGNATURE = Template("<p>{{ name }}<br>{{ title }}</p>")


def render_signature(request):
    ctx = Context({"name": request.POST.get("name", ""), "title": request.POST.get("title", "")})
    return HttpResponse(SIGNATURE.render(ctx))
