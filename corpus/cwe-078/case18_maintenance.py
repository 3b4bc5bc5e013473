import subprocess

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse


@staff_member_required
def disk_report(request):
    out = subprocess.check_output("du -sh /srv/media/* | sort -h | tail -5", shell=True, text=True)
    return JsonResponse({"largest": out.splitlines()})


@staff_member_required
def purge_cache(request):
    prefix = request.POST.get("prefix", "")
    subprocess.run(f"find /srv/cache -name '{prefix}*' -delete", shell=True, check=True)
    return JsonResponse({"purged": prefix})
