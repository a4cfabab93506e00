"""The people holding Copilot seats, their raw seat objects and the org's billing summary.

Seat dates are relative to the dataset's fixed "as of" day, never to the real clock. The last
activity dates are drawn so that the seat list agrees with the timeline: as many seats were
active on the as-of day as the timeline's daily active users, and so on for the week and month.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import accumulate

from sample.catalog import (
    AS_OF,
    EMU_SUFFIX,
    FIRST_NAMES,
    IDE_VERSIONS,
    LAST_NAMES,
    ORG_LOGIN,
    SEAT_EDITOR_PREFIX,
    SEATS_TOTAL,
    TEAMS,
)
from sample.cube import LANGUAGE_MIX
from sample.timeline import day_plan, rolling_active, seats_on

NEVER = "never"
BLANK = "blank"  # last_activity_at "" (an old export quirk)
IDE_SHARES = {
    "vscode": 0.68,
    "jetbrains": 0.20,
    "visualstudio": 0.07,
    "neovim": 0.035,
    "xcode": 0.015,
}


@dataclass(frozen=True)
class Person:
    """A seat holder and the habits the per-user report records are drawn from."""

    login: str
    user_id: int
    team: int | None  # index into TEAMS of the team that assigned the seat, or None
    ide: str
    languages: tuple[str, ...]
    created: datetime
    last_active: date | str | None  # a date, BLANK or None (never used)
    chat: float  # propensity to chat on an active day
    agent: float  # propensity to use agent mode on an active day
    cli: bool
    model: str  # favourite chat model
    plan_type: str
    pending_cancellation: bool
    deleted: bool  # assignee is null (account removed, seat not yet cleaned up)


@lru_cache(maxsize=64)
def summer_time(year: int) -> tuple[date, date]:
    """UK summer time runs from the last Sunday of March to the last Sunday of October."""
    start = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)
    end = max(date(year, 10, d) for d in range(25, 32) if date(year, 10, d).weekday() == 6)
    return start, end


UTC0 = timezone(timedelta(hours=0))
BST = timezone(timedelta(hours=1))


def london(moment: datetime) -> str:
    """ISO timestamp with the UK offset of the day (+01:00 in summer time), as GitHub sends."""
    start, end = summer_time(moment.year)
    zone = BST if start <= moment.date() < end else UTC0
    return moment.replace(tzinfo=zone).isoformat(timespec="seconds")


def logins(count: int, rng: random.Random) -> list[str]:
    """Unique managed-user logins such as ``amara-okafor_nwd`` (numbered when names repeat)."""
    seen: dict[str, int] = {}
    result = []
    for _ in range(count):
        base = f"{rng.choice(FIRST_NAMES)}-{rng.choice(LAST_NAMES)}"
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base}{seen[base]}"
        result.append(f"{name}_{EMU_SUFFIX}")
    return result


def creation_days(count: int, as_of: date) -> list[date]:
    """Seat creation days following the roll-out curve, scaled to ``count`` seats."""
    scale = count / SEATS_TOTAL
    days: list[date] = []
    day = date(2024, 1, 8)
    previous = 0
    while day <= as_of and len(days) < count:
        target = min(count, round(seats_on(day) * scale))
        days.extend([day] * max(0, target - previous))
        previous = max(previous, target)
        day += timedelta(days=1)
    days.extend([as_of] * (count - len(days)))
    return days[:count]


def activity_plan(count: int, as_of: date, seed: int) -> list[tuple[str, int, int]]:
    """(category, oldest days ago, newest days ago) per seat, in the timeline's proportions."""
    seats = seats_on(as_of)
    daily = day_plan(as_of, seed).active / seats
    weekly = rolling_active(as_of, 7, seed) / seats
    monthly = rolling_active(as_of, 28, seed) / seats
    n_day, n_week, n_month = (round(count * f) for f in (daily, weekly, monthly))
    rest = count - n_month
    n_blank = min(rest, max(1, round(count * 0.01)))
    n_never = round(rest * 0.36)
    n_old = round(rest * 0.08)
    n_quarter = round(rest * 0.34)
    n_year = rest - n_blank - n_never - n_old - n_quarter
    plan = [("active", 0, 0)] * n_day + [("active", 6, 1)] * (n_week - n_day)
    plan += [("active", 27, 7)] * (n_month - n_week) + [("active", 90, 28)] * n_quarter
    plan += [("active", 365, 91)] * n_year + [("active", 700, 366)] * n_old
    plan += [(NEVER, 0, 0)] * n_never + [(BLANK, 0, 0)] * n_blank
    return plan


def assign_activity(created: list[date], as_of: date, seed: int) -> list[date | str | None]:
    """Give each seat a last-activity day from the plan, never before the seat existed."""
    rng = random.Random(f"{seed}:seat-activity")
    plan = activity_plan(len(created), as_of, seed)
    rng.shuffle(plan)
    # Newest seats first: they have the fewest possible categories, so they choose first.
    order = sorted(range(len(created)), key=lambda i: (created[i], i), reverse=True)
    pool = plan
    result: list[date | str | None] = [None] * len(created)
    for i in order:
        age = (as_of - created[i]).days
        pick = None
        for j in range(len(pool) - 1, max(-1, len(pool) - 400), -1):
            category, oldest, _ = pool[j]
            if category != "active" or pool[j][2] <= age:
                if category == NEVER and age > 120 and rng.random() < 0.7:
                    continue  # never-used seats are mostly recent assignments
                pick = j
                break
        if pick is None:
            pick = len(pool) - 1
        category, oldest, newest = pool.pop(pick)
        if category == NEVER:
            result[i] = None
        elif category == BLANK:
            result[i] = BLANK
        else:
            newest = min(newest, age)
            for _ in range(4):  # weekends are quiet: usually draw again
                ago = rng.randint(newest, max(newest, min(oldest, age)))
                day = as_of - timedelta(days=ago)
                if day.weekday() < 5 or rng.random() < 0.15:
                    break
            result[i] = day
    return result


def people(count: int = SEATS_TOTAL, as_of: date = AS_OF, seed: int = 7) -> list[Person]:
    """The seat holders, oldest seat first."""
    rng = random.Random(f"{seed}:people")
    names = logins(count, rng)
    ids = rng.sample(range(61_000_000, 199_000_000), count)
    created_days = creation_days(count, as_of)
    last = assign_activity(created_days, as_of, seed)
    chat_models = (
        "gpt-4.1",
        "claude-sonnet-4.5",
        "claude-sonnet-4.5",
        "gpt-5",
        "claude-sonnet-4",
        "gpt-5-mini",
    )
    ides = list(IDE_SHARES)
    ide_cum = list(accumulate(IDE_SHARES.values()))
    mixes = {ide: (list(mix), list(accumulate(mix.values()))) for ide, mix in LANGUAGE_MIX.items()}
    result = []
    for i in range(count):
        ide = rng.choices(ides, cum_weights=ide_cum)[0]
        names_, cum = mixes[ide]
        languages = tuple(dict.fromkeys(rng.choices(names_, cum_weights=cum, k=3)))
        created = datetime.combine(created_days[i], datetime.min.time()) + timedelta(
            seconds=28_800 + int(rng.random() * 36_000)
        )
        result.append(
            Person(
                login=names[i],
                user_id=ids[i],
                team=rng.randrange(len(TEAMS)) if rng.random() < 0.58 else None,
                ide=ide,
                languages=languages,
                created=created,
                last_active=last[i],
                chat=0.25 + 0.73 * rng.random() ** 0.6,
                agent=0.05 + 0.9 * rng.random(),
                cli=rng.random() < 0.09,
                model=rng.choice(chat_models),
                plan_type="enterprise" if rng.random() < 0.09 else "business",
                pending_cancellation=False,
                deleted=False,
            )
        )
    return mark_edge_cases(result, as_of, rng)


def mark_edge_cases(persons: list[Person], as_of: date, rng: random.Random) -> list[Person]:
    """A few seats pending cancellation, one whose account is gone, one with an unknown plan."""
    from dataclasses import replace

    stale = [
        i
        for i, p in enumerate(persons)
        if p.last_active is None
        or (isinstance(p.last_active, date) and (as_of - p.last_active).days > 90)
    ]
    stale_old = [i for i in stale if (as_of - persons[i].created.date()).days > 120]
    cancel = set(rng.sample(stale_old, min(len(stale_old), max(1, round(len(persons) * 0.015)))))
    never = [i for i in stale_old if persons[i].last_active is None and i not in cancel]
    deleted = rng.choice(never) if never else None
    unknown = rng.randrange(len(persons))
    result = []
    for i, p in enumerate(persons):
        if i in cancel:
            p = replace(p, pending_cancellation=True)
        if i == deleted:
            p = replace(p, deleted=True)
        if i == unknown:
            p = replace(p, plan_type="unknown")
        result.append(p)
    return result


def user_object(p: Person) -> dict:
    base = f"https://api.github.com/users/{p.login}"
    return {
        "login": p.login,
        "id": p.user_id,
        "node_id": f"U_kgDO{p.user_id:08X}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{p.user_id}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": f"https://github.com/{p.login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": "User",
        "site_admin": False,
    }


def team_object(index: int) -> dict:
    name, slug = TEAMS[index]
    team_id = 4_120_000 + index * 37
    return {
        "id": team_id,
        "node_id": f"T_kwDOBX{team_id:08X}",
        "url": f"https://api.github.com/organizations/{91_734_205}/team/{team_id}",
        "html_url": f"https://github.com/orgs/{ORG_LOGIN}/teams/{slug}",
        "name": name,
        "slug": slug,
        "description": f"{name} at Northwind Digital Services",
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": f"https://api.github.com/organizations/{91_734_205}/team/{team_id}/members{{/member}}",
        "repositories_url": f"https://api.github.com/organizations/{91_734_205}/team/{team_id}/repos",
        "parent": None,
    }


def editor_string(p: Person, day: date, rng: random.Random) -> str:
    """``last_activity_editor`` as GitHub sends it, with the versions of that time."""
    if p.cli and rng.random() < 0.5:
        return "copilot-developer-cli/1.0/"
    versions = IDE_VERSIONS[p.ide]
    era = min(len(versions) - 1, max(0, (day - date(2025, 1, 1)).days * len(versions) // 690))
    ide_version, plugin, plugin_version = versions[era]
    if p.ide == "neovim" and rng.random() < 0.5:
        return "vim/9.0/copilot.vim/1.41.0"
    if p.ide == "vscode" and rng.random() < 0.2:
        return f"vscode/{ide_version}/copilot/1.{250 + era * 40}.0"
    return f"{SEAT_EDITOR_PREFIX[p.ide]}/{ide_version}/{plugin}/{plugin_version}"


def seat_object(p: Person, as_of: date, rng: random.Random) -> dict:
    last = p.last_active
    if isinstance(last, date):
        moment = datetime.combine(last, datetime.min.time()) + timedelta(
            seconds=28_800 + int(rng.random() * 36_000)
        )
        last_activity: str | None = london(moment)
        roll = rng.random()
        editor: str | None = (
            "/" if roll < 0.006 else "" if roll < 0.012 else editor_string(p, last, rng)
        )
        authenticated: str | None = london(moment - timedelta(minutes=rng.randint(1, 240)))
    elif last == BLANK:
        last_activity, editor, authenticated = "", "", None
    else:
        last_activity, editor = None, None
        authenticated = london(p.created + timedelta(hours=2)) if rng.random() < 0.25 else None
    updated = p.created + timedelta(days=rng.randint(0, 30))
    updated = min(updated, datetime.combine(as_of, datetime.min.time()) + timedelta(hours=8))
    return {
        "created_at": london(p.created),
        "updated_at": london(updated),
        "pending_cancellation_date": next_cycle(as_of).isoformat()
        if p.pending_cancellation
        else None,
        "last_activity_at": last_activity,
        "last_activity_editor": editor,
        "last_authenticated_at": authenticated,
        "plan_type": p.plan_type,
        "assignee": None if p.deleted else user_object(p),
        "assigning_team": team_object(p.team) if p.team is not None else None,
    }


def next_cycle(as_of: date) -> date:
    return date(as_of.year + (as_of.month == 12), as_of.month % 12 + 1, 1)


def seat_records(count: int = SEATS_TOTAL, as_of: date = AS_OF, seed: int = 7) -> list[dict]:
    """Raw seat objects (the ``seats[]`` of ``GET /orgs/{org}/copilot/billing/seats``)."""
    rng = random.Random(f"{seed}:seats")
    return [seat_object(p, as_of, rng) for p in people(count, as_of, seed)]


def seats_response(seats: list[dict]) -> dict:
    return {"total_seats": len(seats), "seats": seats}


def billing_response(seats: list[dict], as_of: date = AS_OF) -> dict:
    """``GET /orgs/{org}/copilot/billing``, counted from the seats so the two always agree."""
    cycle_start = date(as_of.year, as_of.month, 1).isoformat()
    active = sum(
        1 for s in seats if s["last_activity_at"] and s["last_activity_at"][:10] >= cycle_start
    )
    return {
        "seat_breakdown": {
            "total": len(seats),
            "added_this_cycle": sum(1 for s in seats if s["created_at"][:10] >= cycle_start),
            "pending_invitation": 0,
            "pending_cancellation": sum(1 for s in seats if s["pending_cancellation_date"]),
            "active_this_cycle": active,
            "inactive_this_cycle": len(seats) - active,
        },
        "seat_management_setting": "assign_selected",
        "ide_chat": "enabled",
        "platform_chat": "enabled",
        "cli": "enabled",
        "public_code_suggestions": "block",
        "plan_type": "business",
    }
