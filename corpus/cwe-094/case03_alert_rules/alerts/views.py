from rest_framework.decorators import api_view
from rest_framework.response import Response

from alerts.engine import RuleEngine

engine = RuleEngine()


@api_view(["POST"])
def test_rule(request):
    condition = request.data["condition"]
    sample = request.data.get("sample", {})
    return Response({"fires": engine.evaluate(condition, sample)})
