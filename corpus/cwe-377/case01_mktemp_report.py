import csv
import tempfile

from flask import Flask, send_file

from reports.queries import monthly_rows

app = Flask(__name__)


@app.get("/reports/monthly.csv")
def monthly_report():
    path = tempfile.mktemp(suffix=".csv")
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows(monthly_rows())
    return send_file(path, mimetype="text/csv", as_attachment=True)
