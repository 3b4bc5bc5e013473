from flask import Blueprint, request, send_file

from reports.proc import run

bp = Blueprint("reports", __name__)


@bp.get("/reports/render")
def render_report():
    title = request.args.get("title", "Monthly report")
    run("wkhtmltopdf", "--title", title, "/srv/reports/monthly.html", "/tmp/monthly.pdf")
    return send_file("/tmp/monthly.pdf", mimetype="application/pdf")
