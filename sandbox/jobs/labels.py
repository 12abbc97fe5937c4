"""What people read for each step of an application, in their own language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from sandbox.jobs.models import ApplicationStatus

STATUS_LABELS: dict[ApplicationStatus, LazyString] = {
    ApplicationStatus.SENT: _l("Sent"),
    ApplicationStatus.SEEN: _l("Read by the recruiter"),
    ApplicationStatus.SHORTLISTED: _l("Shortlisted"),
    ApplicationStatus.INTERVIEW: _l("Interview"),
    ApplicationStatus.OFFER: _l("Job offered"),
    ApplicationStatus.DECLINED: _l("Not selected"),
}

# What the recruiter did, in the application's history.
STEP_LABELS: dict[ApplicationStatus, LazyString] = {
    ApplicationStatus.SENT: _l("You sent your application."),
    ApplicationStatus.SEEN: _l("%(name)s read your application."),
    ApplicationStatus.SHORTLISTED: _l("%(name)s shortlisted you."),
    ApplicationStatus.INTERVIEW: _l("%(name)s invited you to an interview."),
    ApplicationStatus.OFFER: _l("%(name)s offered you the job."),
    ApplicationStatus.DECLINED: _l("%(name)s did not select your application."),
}

# Why a persona declined on its own: what the student can work on (see jobs.processing).
REASON_LABELS: dict[str, LazyString] = {
    "profile_incomplete": _l("Your profile, which serves as your CV, is not complete enough."),
    "profile_off_topic": _l("Your profile says little about the skills this offer asks for."),
    "letter_short": _l("Your cover letter is short: say why this offer and this company."),
    "letter_generic": _l("Your letter does not name the company or the offer: it could be "
                         "sent anywhere."),
    "letter_copied": _l("You sent the same letter to another offer."),
    "letter_charter": _l("Your letter had words the class charter advises against."),
    "other_candidate": _l("Another candidate matched the offer a little better: keep going."),
}
