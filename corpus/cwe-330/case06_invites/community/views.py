from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

from community.models import Invite
from community.util import random_string


@login_required
def create_invite(request):
    invite = Invite.objects.create(inviter=request.user, code=random_string(16))
    return JsonResponse({"code": invite.code})
