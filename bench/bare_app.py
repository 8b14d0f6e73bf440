"""The framework ceiling: a bare Flask endpoint, served by the same server as the portal in the same run."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok"
