import subprocess

from django.http import JsonResponse


def ping(request):
    host = request.GET.get("host", "")
    if host.startswith("-"):
        return JsonResponse({"error": "bad host"}, status=400)
    proc = subprocess.run(
        ["ping", "-c", "1", "-W", "2", host], capture_output=True, text=True, check=False
    )
    return JsonResponse({"reachable": proc.returncode == 0})
