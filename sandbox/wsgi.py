"""The WSGI application of a deployment, for gunicorn (see deploy/ and the README):

    gunicorn --config deploy/gunicorn.conf.py sandbox.wsgi:app

Configured from the environment like every `sandbox` command. A process refuses to start on a
database that is not at the latest schema: run `sandbox db upgrade` once per release, before
starting or restarting the app's processes.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from sandbox import create_app
from sandbox.database import first_line
from sandbox.serving import schema_is_current, warm_up_in_background


class SchemaNotCurrent(RuntimeError):
    """The database is behind (or ahead of) the code: serving it would fail request by request."""


app = create_app()

with app.app_context():  # the message in the school's language, like the commands'
    try:
        current = schema_is_current()
    except sa.exc.OperationalError as error:
        # Starting while the database is away (a reload during a restart): serve anyway, the
        # requests get the "unavailable for a moment" page until it is back.
        app.logger.warning("schema not checked, the database cannot be reached: %s",
                           first_line(error))
        current = True
    if not current:
        raise SchemaNotCurrent(
            _("The database is not at the latest schema: run `sandbox db upgrade` first.")
        )

warm_up_in_background()
