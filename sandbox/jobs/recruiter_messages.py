"""What a recruiter persona writes to the student when it decides on an application on its own:
a short, polite direct message, in the student's language, as a real recruiter would e-mail.

A decline says one thing to work on (the first reason the assessment found), so that the
student learns something from it. These are the fiction's own words (like the seeded posts), so
they are stored as written, not translated at display time.
"""

from __future__ import annotations

import re

from flask import current_app

from sandbox.accounts.models import User
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.messages.services import write_message

TEXTS = {
    "fr": {
        "opening": "Bonjour {first_name},",
        "closing": "Bien à vous,\n{me_full}\n{job_title} – {company}",
        ApplicationStatus.SHORTLISTED: (
            "Merci pour votre candidature au poste « {offer} ». Votre profil a retenu mon "
            "attention : j'aimerais en parler avec vous lors d'un entretien. Je reviens vers "
            "vous très vite avec une date."),
        ApplicationStatus.OFFER: (
            "J'ai le plaisir de vous proposer le poste « {offer} » chez {company}. Notre "
            "entretien a confirmé ce que votre candidature laissait voir : vous avez toute votre "
            "place dans l'équipe. Bienvenue parmi nous !"),
        ApplicationStatus.DECLINED: (
            "Merci pour l'intérêt que vous portez à {company} et pour votre candidature au poste "
            "« {offer} ». Je ne peux pas y donner une suite favorable cette fois-ci."),
        "profile_incomplete": "Un conseil : complétez votre profil, c'est lui que je lis comme "
                              "un CV.",
        "profile_off_topic": "Un conseil : montrez sur votre profil les compétences que demande "
                             "l'offre.",
        "letter_short": "Un conseil : dans votre lettre, dites pourquoi ce poste et pourquoi "
                        "notre entreprise.",
        "letter_generic": "Un conseil : une lettre qui cite l'entreprise et le poste montre que "
                          "vous avez pris le temps de vous renseigner.",
        "letter_copied": "Un conseil : une lettre écrite pour chaque offre fait toute la "
                         "différence.",
        "letter_charter": "Un conseil : soignez le registre de votre lettre, c'est la première "
                          "impression que vous donnez.",
        "other_candidate": "D'autres candidatures correspondaient un peu mieux au poste, mais "
                           "votre démarche est la bonne : continuez !",
    },
    "en": {
        "opening": "Hello {first_name},",
        "closing": "Kind regards,\n{me_full}\n{job_title} – {company}",
        ApplicationStatus.SHORTLISTED: (
            "Thank you for applying for “{offer}”. Your profile caught my attention: I would "
            "like to talk it over with you in an interview. I will come back to you soon with a "
            "date."),
        ApplicationStatus.OFFER: (
            "I am happy to offer you the position “{offer}” at {company}. Our interview "
            "confirmed what your application suggested: you have your place in the team. "
            "Welcome aboard!"),
        ApplicationStatus.DECLINED: (
            "Thank you for your interest in {company} and for applying for “{offer}”. I am "
            "afraid I cannot take your application further this time."),
        "profile_incomplete": "A piece of advice: complete your profile, I read it as a CV.",
        "profile_off_topic": "A piece of advice: show on your profile the skills the offer "
                             "asks for.",
        "letter_short": "A piece of advice: in your letter, say why this job and why our "
                        "company.",
        "letter_generic": "A piece of advice: a letter that names the company and the job shows "
                          "you did your research.",
        "letter_copied": "A piece of advice: a letter written for each offer makes all the "
                         "difference.",
        "letter_charter": "A piece of advice: mind the tone of your letter, it is the first "
                          "impression you give.",
        "other_candidate": "Other applications matched the job a little better, but you are "
                           "going about it the right way: keep going!",
    },
}
# French typography: a no-break space before the high punctuation and inside « ».
_FRENCH_SPACES = re.compile(r" ([:;!?»])")


def _language(student: User) -> str:
    language = student.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")
    return language if language in TEXTS else "fr"


def decision_text(reviewer: User, student: User, application: Application,
                  status: ApplicationStatus, reasons: list[str]) -> str | None:
    """The message for this decision (None for steps a recruiter does not write about)."""
    texts = TEXTS[_language(student)]
    if status not in texts:
        return None
    persona = reviewer.persona
    assert persona is not None
    values = {
        # The name the recruiter sees: a pseudonym stays a pseudonym.
        "first_name": student.name_for(reviewer).split(" ")[0],
        "me_full": reviewer.full_name, "job_title": persona.job_title,
        "company": application.offer.company.name, "offer": application.offer.title,
    }
    paragraphs = [texts["opening"], texts[status]]
    if status is ApplicationStatus.DECLINED and reasons and reasons[0] in texts:
        paragraphs.append(texts[reasons[0]])
    paragraphs.append(texts["closing"])
    text = "\n\n".join(paragraph.format(**values) for paragraph in paragraphs)
    if _language(student) == "fr":
        text = _FRENCH_SPACES.sub("\u00a0\\1", text).replace("« ", "«\u00a0")
    return text


def write_decision(reviewer: User, student: User, application: Application,
                   status: ApplicationStatus, reasons: list[str]) -> None:
    """Send the decision's message from the recruiter (no commit: the worker's transaction)."""
    text = decision_text(reviewer, student, application, status, reasons)
    if text is not None:
        write_message(reviewer, student, text, application_id=application.id)
