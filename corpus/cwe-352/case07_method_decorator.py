from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt


@method_decorator(csrf_exempt, name="dispatch")
class NotificationSettingsView(LoginRequiredMixin, View):
    def post(self, request):
        prefs = request.user.notification_prefs
        prefs.email = request.POST.get("email") == "on"
        prefs.save()
        return JsonResponse({"saved": True})
