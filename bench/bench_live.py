"""Live-data cache costs: payload size in Redis, encode, decode + rebuild per worker, cache hits.

Input: the newest 28-day organisation report in sample_data and 100,000 seats shaped like
GitHub's (full assignee and team objects, as the API sends them), slimmed as LiveSource does.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from app.settings import PROJECT_ROOT
from app.sources.live import PAYLOAD_VERSION, loaded_from_payload, slim_seat
from app.sources.live_cache import RefreshingCache, decode_entry, encode_entry
from bench.timing import percentiles, time_calls
from tests.support.github_fixtures import make_seat

SEATS = 100_000


def github_seat(i: int) -> dict:
    """The fake server's seat with the full assignee and team objects GitHub sends, so the
    slimming and cache sizes are measured on realistic bytes."""
    seat = make_seat(i)
    login = seat["assignee"]["login"]
    user = f"https://api.github.com/users/{login}"
    seat["assignee"].update(
        {
            "node_id": "MDQ6VXNlcjE=",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{100000 + i}?v=4",
            "gravatar_id": "",
            "url": user,
            "followers_url": f"{user}/followers",
            "following_url": f"{user}/following{{/other_user}}",
            "gists_url": f"{user}/gists{{/gist_id}}",
            "starred_url": f"{user}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{user}/subscriptions",
            "organizations_url": f"{user}/orgs",
            "repos_url": f"{user}/repos",
            "events_url": f"{user}/events{{/privacy}}",
            "received_events_url": f"{user}/received_events",
            "site_admin": False,
        }
    )
    seat["assigning_team"] = {
        "id": i % 40,
        "node_id": "MDQ6VGVhbTE=",
        "url": f"https://api.github.com/teams/{i % 40}",
        "html_url": f"https://github.com/orgs/acme/teams/team-{i % 40}",
        "name": f"Team {i % 40}",
        "slug": f"team-{i % 40}",
        "description": "A team.",
        "privacy": "closed",
        "permission": "pull",
        "members_url": f"https://api.github.com/teams/{i % 40}/members{{/member}}",
        "repositories_url": f"https://api.github.com/teams/{i % 40}/repos",
        "parent": None,
    }
    return seat


def report_documents() -> list[list]:
    folder = PROJECT_ROOT / "sample_data"
    newest = sorted(folder.glob("copilot-report-organization-28-day-*"))[-1]
    text = newest.read_text(encoding="utf-8")
    if newest.suffix == ".ndjson":
        value: object = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        value = json.loads(text)
    return [[f"organization-28-day/latest/{Path(newest).name}", value]]


def main() -> None:
    raw_seats = [github_seat(i) for i in range(SEATS)]
    raw_bytes = len(json.dumps(raw_seats, separators=(",", ":")))
    started = time.perf_counter()
    seats = [slim_seat(s) for s in raw_seats]
    print(f"live_slim_100k_seats: {time.perf_counter() - started:.2f} s")
    del raw_seats
    payload = {
        "v": PAYLOAD_VERSION,
        "scope": "organisation 'acme'",
        "documents": report_documents(),
        "seats": seats,
        "total_seats": SEATS,
        "billing": {"seat_breakdown": {"total": SEATS}},
        "problems": [],
    }
    slim_bytes = len(json.dumps(seats, separators=(",", ":")))
    print(f"live_seats_json_as_sent_by_github: {raw_bytes / 1e6:.1f} MB")
    print(f"live_seats_json_slimmed: {slim_bytes / 1e6:.1f} MB")

    started = time.perf_counter()
    entry = encode_entry(time.time(), payload)
    print(f"live_encode_entry: {time.perf_counter() - started:.2f} s")
    print(
        f"live_redis_entry_size: {len(entry) / 1e6:.2f} MB (zlib JSON, 28-day report + 100k seats)"
    )

    started = time.perf_counter()
    _, decoded = decode_entry(entry)
    decode_s = time.perf_counter() - started
    started = time.perf_counter()
    loaded = loaded_from_payload(decoded)
    build_s = time.perf_counter() - started
    print(f"live_decode_entry: {decode_s:.2f} s")
    print(f"live_build_loaded_data: {build_s:.2f} s ({len(loaded.usage.totals)} days)")

    cache = RefreshingCache(fetch=lambda: payload, build=lambda p: p, ttl_seconds=3600)
    cache.get()
    times = time_calls(lambda _i: cache.get(), 20_000)
    p50, p95 = percentiles(times)  # milliseconds
    print(f"live_cache_hit_p50: {p50 * 1000:.1f} us")
    print(f"live_cache_hit_p95: {p95 * 1000:.1f} us")


if __name__ == "__main__":
    main()
