from django.http import HttpResponseRedirect

from orders.models import Order


def reorder(request):
    order_id = int(request.POST["order_id"])
    copy = Order.objects.get(pk=order_id).duplicate(owner=request.user)
    return HttpResponseRedirect(f"/orders/{copy.pk}/?from={order_id}")
