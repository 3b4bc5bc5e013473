from importlib import resources

from jinja2 import Environment, select_autoescape

env = Environment(autoescape=select_autoescape())


def render_receipt(order: dict) -> str:
    source = resources.files("shop").joinpath("templates/receipt.txt").read_text()
    return env.from_string(source).render(order=order)
