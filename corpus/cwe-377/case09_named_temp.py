import csv
import tempfile

from flask import Flask, send_file

from reports.queries import monthly_rows

app = Flask(__name__)


@app.get("/reports/monthly.csv")
def monthly_report():
    tmp = tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=False)
    with tmp:
        csv.writer(tmp).writerows(monthly_rows())
    return send_file(tmp.name, mimetype="text/csv", as_attachment=True)
