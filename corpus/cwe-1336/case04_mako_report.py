from mako.template import Template
from pyramid.view import view_config


@view_config(route_name="report", renderer="string")
def report(request):
    layout = request.params.get("layout", "${title}")
    return Template(layout).render(title="Quarterly report", rows=[])
