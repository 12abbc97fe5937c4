"""Tremplin: a classroom sandbox of a professional social network."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from sandbox import pagecache
from sandbox import models  # noqa: F401  (every table registered before the app uses them)
from sandbox import realtime  # noqa: F401  (its handlers register on `socketio`)
from sandbox.accounts.views import blueprint as accounts_blueprint
from sandbox.charter.api import blueprint as charter_api_blueprint
from sandbox.charter.views import blueprint as charter_blueprint
from sandbox.admin.views import blueprint as admin_blueprint
from sandbox.classes.views import blueprint as classes_blueprint
from sandbox.companies.views import blueprint as companies_blueprint
from sandbox.config import settings_from_environment
from sandbox.core.resources import PACKAGE_DIR, resource_dir
from sandbox.dashboard.views import blueprint as dashboard_blueprint
from sandbox.database import configure_engine
from sandbox.errors import register_error_pages
from sandbox.exercises.views import blueprint as exercises_blueprint
from sandbox.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio, talisman
from sandbox.grading.views import blueprint as grading_blueprint
from sandbox.groups.views import blueprint as groups_blueprint
from sandbox.home.views import blueprint as home_blueprint
from sandbox.jobs.views import blueprint as jobs_blueprint
from sandbox.messages.views import blueprint as messages_blueprint
from sandbox.moderation.views import blueprint as moderation_blueprint
from sandbox.network.follow_views import blueprint as follows_blueprint
from sandbox.network.list_views import blueprint as contact_lists_blueprint
from sandbox.network.recommendation_views import blueprint as recommendations_blueprint
from sandbox.network.views import blueprint as network_blueprint
from sandbox.personas.views import blueprint as personas_blueprint
from sandbox.notifications.views import blueprint as notifications_blueprint
from sandbox.posts.reaction_views import blueprint as reactions_blueprint
from sandbox.posts.views import blueprint as posts_blueprint
from sandbox.privacy.views import blueprint as privacy_blueprint
from sandbox.profiles.views import blueprint as profiles_blueprint
from sandbox.reviews.views import blueprint as reviews_blueprint
from sandbox.search.views import blueprint as search_blueprint
from sandbox.i18n import JSONProvider, register_i18n_helpers, select_locale, select_timezone
from sandbox.security import (
    content_security_policy,
    register_login_manager,
    refuse_json_that_is_not_an_object,
    require_password_change,
)

__version__ = "0.1.0"


def default_instance_path() -> Path:
    """Where the database, secret key and uploads live.

    SANDBOX_INSTANCE_PATH when set; `instance/` of the checkout when running from one; otherwise
    (a plain `pip install`) the user's data folder, never the installed package's folder.
    """
    configured = os.environ.get("SANDBOX_INSTANCE_PATH")
    if configured:
        return Path(configured).expanduser().resolve()
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "sandbox").is_dir():
        return checkout / "instance"
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "tremplin"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, sockets, commands."""
    overrides = overrides or {}
    instance_path = Path(overrides.get("INSTANCE_PATH") or default_instance_path())
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.json = JSONProvider(app)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(settings_from_environment(instance_path))
    app.config.update(overrides)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    register_extensions(app)
    register_blueprints(app)
    register_error_pages(app)
    register_i18n_helpers(app)
    app.before_request(refuse_json_that_is_not_an_object)
    app.before_request(require_password_change)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    configure_engine(app)
    pagecache.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    register_login_manager(login_manager)
    talisman.init_app(
        app,
        force_https=False,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=content_security_policy(),
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        manage_session=False,
    )


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        home_blueprint,
        accounts_blueprint,
        classes_blueprint,
        admin_blueprint,
        companies_blueprint,
        profiles_blueprint,
        search_blueprint,
        network_blueprint,
        notifications_blueprint,
        follows_blueprint,
        contact_lists_blueprint,
        recommendations_blueprint,
        messages_blueprint,
        groups_blueprint,
        reactions_blueprint,
        posts_blueprint,
        charter_api_blueprint,
        charter_blueprint,
        moderation_blueprint,
        dashboard_blueprint,
        grading_blueprint,
        privacy_blueprint,
        jobs_blueprint,
        reviews_blueprint,
        personas_blueprint,
        exercises_blueprint,
    ):
        app.register_blueprint(blueprint)
