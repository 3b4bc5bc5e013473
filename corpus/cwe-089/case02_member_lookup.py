from django.http import JsonResponse
from django.views.decorators.http import require_GET

from members.models import Member


@require_GET
def member_lookup(request):
    surname = request.GET.get("surname", "")
    members = Member.objects.raw(
        "SELECT * FROM members_member WHERE surname LIKE '%s%%'" % surname
    )
    data = [{"id": m.id, "name": m.full_name} for m in members]
    return JsonResponse({"results": data})
