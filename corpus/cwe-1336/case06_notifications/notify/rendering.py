from jinja2 import Environment, select_autoescape

_env = Environment(autoescape=select_autoescape())


def render_notification(template_text, context):
    return _env.from_string(template_text).render(**context)
