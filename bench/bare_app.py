"""The framework ceiling: a bare Flask app, served by the same server as the portal in the same run.

``/`` is the ceiling for requests per second. The two upload endpoints bracket the memory benchmark: one
takes a multipart upload the way Flask does by default and streams the file to disk (the floor), the other
holds the whole body in memory (the control, which shows the measurement catches buffering).
"""

import os
import tempfile

from flask import Flask, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024


@app.get("/")
def bare():
    return "ok"


@app.post("/upload")
def streamed_upload():
    upload = request.files["certificate"]
    with tempfile.NamedTemporaryFile(dir=os.environ.get("UPLOAD_DIR"), delete=True) as out:
        upload.save(out)
        return "stored", 201


@app.post("/upload-in-memory")
def buffered_upload():
    body = request.get_data()
    return f"held {len(body)} bytes", 201
