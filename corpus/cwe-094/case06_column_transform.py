import csv
import io

from flask import Flask, Response, request

app = Flask(__name__)


class CsvTransformer:
    def __init__(self, column, transform):
        self.column = column
        self.transform = transform

    def apply(self, row):
        value = row[self.column]
        row[self.column] = eval(self.transform, {"value": value})
        return row


@app.post("/csv/transform")
def transform_csv():
    tx = CsvTransformer(request.form["column"], request.form["transform"])
    reader = csv.DictReader(io.StringIO(request.files["data"].read().decode()))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    for row in reader:
        writer.writerow(tx.apply(row))
    return Response(out.getvalue(), mimetype="text/csv")
