import subprocess

from django.http import JsonResponse
from django.views import View


class ExtractView(View):
    def post(self, request):
        name = request.POST["archive"]
        subprocess.check_call(["sh", "-c", "cd /srv/uploads && unzip -o " + name])
        return JsonResponse({"extracted": name})
