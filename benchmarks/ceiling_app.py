"""The framework's ceiling on this machine: a minimal Flask page rendering a 20-item template.

`school_load.py` serves it with the same gunicorn settings as Tremplin and loads it the same
way: what Flask, Jinja and gunicorn alone cost per request here, with no database, no session,
no extension. A Tremplin page's requests per second are reported as a share of this one's.

    gunicorn -w 2 -k sync -b 127.0.0.1:8000 --chdir benchmarks ceiling_app:app
"""

from __future__ import annotations

from flask import Flask, render_template
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
  <h1>{{ title }}</h1>
  <ol>
  {% for item in items %}
    <li><article><h2>{{ item.author }}</h2><p>{{ item.text }}</p>
      <time datetime="{{ item.when }}">{{ item.when }}</time></article></li>
  {% endfor %}
  </ol>
</main>
</body>
</html>
"""

ITEMS = [{"author": f"Personne {n}", "text": f"Publication numéro {n}, avec un peu de texte <b>.",
          "when": f"2026-11-{n + 1:02d}"} for n in range(20)]

app = Flask(__name__)
app.jinja_loader = DictLoader({"page.html": PAGE})


@app.get("/")
def page() -> str:
    return render_template("page.html", title="Plafond", items=ITEMS)
