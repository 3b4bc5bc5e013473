from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from bank.models import Account


@csrf_protect
@login_required
@require_POST
def transfer(request):
    source = Account.objects.get(owner=request.user, number=request.POST["from"])
    target = Account.objects.get(number=request.POST["to"])
    source.transfer(target, Decimal(request.POST["amount"]))
    return JsonResponse({"ok": True})
