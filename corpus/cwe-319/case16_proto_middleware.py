from django.http import HttpResponsePermanentRedirect


class ForceHttpsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.is_secure() and request.META.get("HTTP_X_FORWARDED_PROTO") != "https":
            return HttpResponsePermanentRedirect("https://" + request.get_host() + request.get_full_path())
        response = self.get_response(request)
        response["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
