from django.http import HttpResponse


def whoami(request):
    name = request.GET.get("name", "anonymous")
    return HttpResponse("You said your name is " + name, content_type="text/plain; charset=utf-8")
