"""How fast is the charter engine on realistic posts, the grammar engine warm?

Builds 1,000 posts deterministically from fragments of student posts (French and English,
40 to 1,500 characters, about 10 % breaking a rule), loads the grammar engine and the
dictionaries (their load time and memory are printed), checks one text to warm them, then
times `check_text` on each post with the default charter (every check on).

Three runs, the per-sentence grammar cache and the suggestion cache emptied before each post
(as if no post shared a sentence with another):
- "pasted": the whole post checked at once, every sentence new to the engine;
- "typed": the composer checks the text as it grows (after each sentence, as its debounced
  calls would), then the post is saved and checked again: the figures that matter to a student;
- "again": the 1,000 posts checked a second time, caches kept (a re-check, e.g. by the queue).

    .venv/bin/python benchmarks/charter.py [--posts 1000] [--seed 7] [--profile]
                                           [--only spelling ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from flask_babel import force_locale

from sandbox import create_app
from sandbox.charter.engine import check_text, dictionaries, lang
from sandbox.charter.engine.core import CHECKS, CharterPolicy, default_policy

NAMES = ["Léa", "Hugo", "Inès", "Yanis", "Camille", "Mathieu", "Sofia", "Nathan"]
COMPANIES = ["Nordis Export", "Transports Durand", "Logisud", "Agrimax", "Vitalia Santé"]
FRENCH = [
    "Bonjour à tous !", "Petit retour sur notre semaine de stage.",
    "Je cherche une alternance en commerce international à partir de septembre.",
    "Merci à {company} de m'avoir accueilli pendant six semaines.",
    "J'ai appris à gérer les commandes fournisseurs et à relancer les clients.",
    "L'équipe m'a fait confiance dès le premier jour, et j'ai pu participer aux réunions.",
    "Notre classe a visité l'entrepôt de {company} : une organisation impressionnante.",
    "Mon tuteur m'a donné des conseils précieux pour préparer mon oral.",
    "Je suis motivée, sérieuse et curieuse, et j'aime le travail en équipe.",
    "Quelqu'un connaît une entreprise qui recrute en logistique près de Lyon ?",
    "Le salon de l'alternance aura lieu le 14 mars au parc des expositions.",
    "Nous avons préparé une étude de marché pour une PME de {number} salariés.",
    "Félicitations à {name} pour son CDI chez {company} !",
    "J'ai mis à jour mon profil et mon CV, n'hésitez pas à me faire un retour.",
    "Ce projet m'a permis de développer mes compétences en négociation.",
    "Le webinar sur le networking commence à 18h, venez nombreux.",
    "Je maîtrise Excel et PowerPoint, et j'apprends à utiliser un logiciel de gestion.",
    "Hâte de commencer ma deuxième année de BTS !",
    "Les candidatures pour le job dating sont ouvertes jusqu'au 30 avril.",
    "C'était une super expérience, j'ai beaucoup appris sur la relation client.",
    "Aujourd'hui, atelier sur l'identité numérique avec {name}.",
    "Si vous avez des questions sur la formation, écrivez-moi en message privé.",
    "#alternance #i4emploi #BTS",
]
ENGLISH = [
    "Hello everyone!", "A quick update on our internship week.",
    "I am looking for an apprenticeship in international trade starting in September.",
    "Many thanks to {company} for welcoming me for six weeks.",
    "I learned how to handle supplier orders and follow up with customers.",
    "The team trusted me from day one and I joined their weekly meetings.",
    "Our class visited the {company} warehouse: an impressive organisation.",
    "My tutor gave me great advice to prepare my presentation.",
    "I am motivated, reliable and curious, and I enjoy working in a team.",
    "Does anyone know a company hiring in logistics near Lyon?",
    "Congratulations to {name} on the new job at {company}!",
    "I have updated my profile and my CV, feel free to give me feedback.",
    "This project helped me develop my negotiation skills.",
    "The networking webinar starts at 6 pm, see you there.",
    "#internship #opentowork",
]
VIOLATIONS = {
    "fr": ["Appelez-moi au 06 12 34 56 78 pour en parler.", "Mon mail : lea.martin@gmail.com.",
           "J'habite 12 rue des Lilas à Lyon.", "slt tlm, jsp si g le temps demain mdr.",
           "Les enfant sont allé a la plage.", "Je cherche un stage en comerce.",
           "Il faut que je fais mon CV.", "Mon tuteur est un vrai connard.",
           "Je sais pas trop, c'est grave cool."],
    "en": ["Call me on 07700 900123 tonight.", "I am looking for an internshp.",
           "Their going to the meeting tommorow.", "idk if u can come 2moro lol.",
           "My email is hugo.petit@gmail.com."],
}


def build_posts(count: int, seed: int) -> list[str]:
    """`count` posts, 40-1,500 characters: 45 % short, 35 % medium, 20 % long; 70 % French."""
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        language = "fr" if rng.random() < 0.7 else "en"
        pool = FRENCH if language == "fr" else ENGLISH
        kind = rng.random()
        target = rng.randint(40, 200) if kind < 0.45 else \
            rng.randint(200, 600) if kind < 0.8 else rng.randint(600, 1500)
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < target:
            sentences.append(rng.choice(pool).format(
                name=rng.choice(NAMES), company=rng.choice(COMPANIES),
                number=rng.randint(8, 400)))
        if rng.random() < 0.1:
            sentences[rng.randrange(len(sentences))] = rng.choice(VIOLATIONS[language])
        post = " ".join(sentences)
        while len(post) > 1500:
            post = post[:post.rfind(" ", 0, 1500)]
        posts.append(post)
    return posts


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def forget_sentences() -> None:
    """Empty the grammar and suggestion caches (word lookups stay: common words are always
    cached in a running process)."""
    for engine in (dictionaries.french(), dictionaries.english()):
        if engine is not None:
            for cache in ("grammar", "suggest"):
                if hasattr(engine, cache):
                    getattr(engine, cache).cache_clear()


def percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return (f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"max {timings[-1]:.1f} ms")


def time_posts(posts: list[str], before_each: Callable[[], None] | None,
               policy: CharterPolicy) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of `check_text` on each post."""
    wall, cpu = [], []
    for post in posts:
        if before_each:
            before_each()
        started, started_cpu = time.perf_counter(), time.process_time()
        check_text(post, policy=policy)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def time_typing(posts: list[str], policy: CharterPolicy) -> tuple[list[float], list[float]]:
    """(composer calls, save checks): each post checked after each sentence, then saved."""
    composer, save = [], []
    for post in posts:
        forget_sentences()
        for match in _SENTENCE_END.finditer(post):
            started = time.perf_counter()
            check_text(post[:match.start()], policy=policy)
            composer.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        check_text(post, policy=policy)
        save.append((time.perf_counter() - started) * 1000)
    return composer, save


def time_each_check(posts: list[str], policy: CharterPolicy) -> dict[str, float]:
    """Mean milliseconds per post of each check on its own (new sentences)."""
    spent: dict[str, float] = defaultdict(float)
    for post in posts:
        forget_sentences()
        context = dataclasses.replace(policy.context, lang=lang.detect_language(post))
        for category, check in CHECKS.items():
            if category not in policy.rules:
                continue
            started = time.perf_counter()
            list(check(post, context))
            spent[category.value] += (time.perf_counter() - started) * 1000
    return {name: total / len(posts) for name, total in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="time each check on its own")
    parser.add_argument("--only", nargs="+", metavar="CATEGORY",
                        help="run only these checks (e.g. --only spelling)")
    args = parser.parse_args()
    posts = build_posts(args.posts, args.seed)
    lengths = sorted(len(post) for post in posts)
    print(f"{len(posts)} posts: {sum(lengths):,} characters, length p50 "
          f"{statistics.median(lengths):.0f}, p95 {lengths[int(len(lengths) * 0.95) - 1]}, "
          f"max {lengths[-1]}; French {sum(lang.detect_language(p) == 'fr' for p in posts)}")
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE_PATH": Path(folder), "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'b.db'}"})
        with app.test_request_context(), force_locale("en"):
            policy = default_policy()
            if args.only:
                policy = dataclasses.replace(policy, rules={
                    category: rule for category, rule in policy.rules.items()
                    if category.value in args.only})
            print("checks: " + ", ".join(category.value for category in policy.rules))
            before = rss_mb()
            started = time.perf_counter()
            french, english = dictionaries.french(), dictionaries.english()
            loaded = time.perf_counter() - started
            after = rss_mb()
            print(f"grammar engine and dictionaries: Grammalecte {'on' if french else 'OFF'}, "
                  f"hunspell {'on' if english else 'OFF'}; loaded in {loaded * 1000:.0f} ms, "
                  f"RSS {before:.0f} -> {after:.0f} MB (+{after - before:.0f} MB)")
            started = time.perf_counter()
            check_text("Bonjour, je cherche un stage en commerce. I am looking for a job.",
                       policy=policy)
            print(f"first check (rules and graphs compiled): "
                  f"{(time.perf_counter() - started) * 1000:.0f} ms, RSS {rss_mb():.0f} MB")
            load = os.getloadavg()[0]
            print(f"load average {load:.1f} (other work on the machine slows the wall times)")
            sample = " ".join(posts)[:300]
            started = time.perf_counter()
            for _ in range(1000):
                lang.detect_language(sample)
            print(f"detect_language on {len(sample)} characters: "
                  f"{(time.perf_counter() - started) * 1000:.3f} µs")  # 1,000 runs: ms = µs
            cold, cold_cpu = time_posts(posts, forget_sentences, policy)
            print(f"pasted (every sentence new): {percentiles(cold)} over {len(posts)} posts; "
                  f"CPU {percentiles(cold_cpu)}")
            for low, high in ((0, 200), (200, 600), (600, 1501)):
                bucket = [t for t, p in zip(cold, posts, strict=True) if low <= len(p) < high]
                print(f"  {low}-{high - 1} characters ({len(bucket)} posts): "
                      f"{percentiles(bucket)}")
            composer, save = time_typing(posts, policy)
            print(f"typed: composer calls {percentiles(composer)} ({len(composer)} calls)")
            print(f"typed: save {percentiles(save)}")
            again, _ = time_posts(posts, None, policy)
            print(f"again (caches kept): {percentiles(again)}")
            print(f"RSS at the end: {rss_mb():.0f} MB")
            if args.profile:
                spent = time_each_check(posts, policy)
                for name, mean in sorted(spent.items(), key=lambda item: -item[1]):
                    print(f"  {name}: {mean:.2f} ms per post")


if __name__ == "__main__":
    main()
