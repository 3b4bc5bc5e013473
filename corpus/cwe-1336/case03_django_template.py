from django.http import HttpResponse
from django.template import Context, Template


def render_signature(request):
    tpl = Template(request.POST["signature"])
    return HttpResponse(tpl.render(Context({"user": request.user})))
