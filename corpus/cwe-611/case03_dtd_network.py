from fastapi import FastAPI, UploadFile
from lxml import etree

app = FastAPI()


@app.post("/invoices")
async def upload_invoice(file: UploadFile):
    parser = etree.XMLParser(load_dtd=True, no_network=False, resolve_entities=True)
    tree = etree.parse(file.file, parser)
    return {"total": tree.findtext(".//Total")}
