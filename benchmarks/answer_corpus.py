"""A small demo corpus with questions whose supporting document is known."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchDocument:
    external_id: str
    title: str
    text: str


@dataclass(frozen=True)
class BenchQuestion:
    question: str
    supporting: str  # external id of the document that answers it


DOCUMENTS = [
    BenchDocument(
        "expenses",
        "Expense policy",
        "Submit travel expenses within 30 days of the trip through the finance portal. "
        "Receipts are required for every item above 25 euros. Economy class is the default "
        "for flights under six hours.",
    ),
    BenchDocument(
        "holidays",
        "Holiday calendar",
        "The office is closed between Christmas and New Year. Every employee has 27 days of "
        "paid leave per year, and unused days carry over until the end of March.",
    ),
    BenchDocument(
        "security",
        "Laptop security",
        "Laptops must use full-disk encryption and lock after five minutes of inactivity. "
        "Report a lost or stolen laptop to the security team within one hour.",
    ),
    BenchDocument(
        "onboarding",
        "Onboarding checklist",
        "New hires receive their laptop on the first day, meet their buddy in the first week "
        "and finish the compliance training within their first month.",
    ),
    BenchDocument(
        "oncall",
        "On-call rotation",
        "Engineers join the on-call rotation after three months. A shift lasts one week, and "
        "pages must be acknowledged within fifteen minutes.",
    ),
    BenchDocument(
        "parental",
        "Parental leave",
        "Parents get sixteen weeks of fully paid parental leave, which can be split into two "
        "blocks taken within the child's first year.",
    ),
    BenchDocument(
        "remote",
        "Remote work",
        "Employees may work remotely up to three days a week. Working from another country "
        "for more than four weeks needs approval from HR.",
    ),
    BenchDocument(
        "deploys",
        "Deployment process",
        "Production deploys happen from the main branch after two approvals. Deploys are "
        "frozen on Fridays after 3 pm and during the last week of December.",
    ),
]

QUESTIONS = [
    BenchQuestion("How long do I have to file my travel expenses?", "expenses"),
    BenchQuestion("How many days of paid leave do employees get?", "holidays"),
    BenchQuestion("What do I do if my laptop is stolen?", "security"),
    BenchQuestion("When do new hires finish compliance training?", "onboarding"),
    BenchQuestion("How fast must on-call pages be acknowledged?", "oncall"),
    BenchQuestion("How long is parental leave?", "parental"),
    BenchQuestion("Can I work from another country for two months?", "remote"),
    BenchQuestion("Can we deploy to production on Friday afternoon?", "deploys"),
]
