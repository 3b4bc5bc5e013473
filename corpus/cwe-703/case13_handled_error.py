import datetime

from django.http import HttpResponseBadRequest, JsonResponse

from bookings.models import Booking


def bookings_on(request):
    try:
        day = datetime.date.fromisoformat(request.GET["day"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("day must be YYYY-MM-DD")
    rows = Booking.objects.filter(day=day).values("id", "room", "start")
    return JsonResponse({"bookings": list(rows)})
