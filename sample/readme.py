"""The text of ``sample_data/README.md`` (written by the generator so the folder is reproducible)."""

README = """\
# Example data: Northwind Digital Services (synthetic)

**Everything in this folder is synthetic.** It describes a fictitious ~400-person engineering
organisation, `northwind-digital` ("Northwind Digital Services"), invented so the dashboard can be
shown, developed and tested without a GitHub connection. No real person, team or repository is
described. The files have exactly the shapes of raw GitHub API responses, of all three Copilot
data generations, with the overlaps a real long-term archive has.

Regenerate (deterministic: the same seed always gives byte-identical files):

    python -m sample                 # writes this folder (seed 7)
    python -m sample --out DIR --seed 11
    python -m sample --out /tmp/big --scale enterprise   # large, for benchmarks; not committed

Do not edit these files by hand: change `sample/` and regenerate. The data is fixed "as of"
**2026-11-20** and never depends on today's date.

| file(s) | what it is | days |
|---|---|---|
| `copilot-usage-2024.json`, `copilot-usage-2025.json` | retired usage summary, `GET /orgs/{org}/copilot/usage`: array of days with `total_*` fields and a language x editor `breakdown[]` | 2024-02-01 to 2025-02-28 |
| `copilot-metrics-YYYY-Qn.json` | retired metrics API, `GET /orgs/{org}/copilot/metrics`: full nested day objects (IDE completions by editor > model > language, IDE chat, github.com chat, pull-request summaries), one file per quarter | 2024-11-01 to 2026-04-01 |
| `copilot-report-organization-28-day-*.ndjson` / `.json` | usage-metrics report files (the content behind a `organization-28-day` download link): one organisation record with 28 `day_totals[]` | 2025-10-10 to 2026-11-05 |
| `copilot-report-organization-1-day-*.ndjson` / `.json` | `organization-1-day?day=` files: ONE flat aggregate record per file (the fields of a `day_totals[]` entry plus `organization_id`/`enterprise_id`), no wrapper | 2026-11-06 to 2026-11-20 |
| `copilot-report-users-1-day-*.ndjson` | per-user report records (`users-1-day?day=`), one record per active user, with the 2026 flags (`used_cli`, `used_copilot_cloud_agent` = `used_copilot_coding_agent`, code review active/passive or `null`, `used_copilot_app`, `used_vscode_agent`), `ai_credits_used`, `ai_adoption_phase`, `totals_by_cli` / `totals_by_copilot_app` / ... | the last 28 days, 2026-10-24 to 2026-11-20 |
| `copilot-report-user-teams-1-day-*.ndjson` | team memberships (`user-teams-1-day?day=`): one row per (user, team); 6 teams, some people in two, one person moving team on 2026-11-09; the 3-member `copilot-pilot-group` is absent (teams under 5 seated members are left out) | same days as users-1-day |
| `copilot-report-repos-1-day-*.ndjson` | repository rows (`repos-1-day?day=`): `pull_requests` per repository (12 repositories) and `pull_request_review_times[]` | same days as users-1-day |
| `copilot-seats.json` | seat list, `GET /orgs/{org}/copilot/billing/seats` (all pages in one `{total_seats, seats[]}`) | as of 2026-11-20 |
| `seat-history/copilot-seats-YYYY-MM-DD.json.gz` | the same seat list as saved on the first of every other month (gzip; a sub-folder, so the Seats page reads only `copilot-seats.json`): the seat history `make run` imports with `python -m app.collect import` | 2024-02-01 to 2026-10-01 |
| `copilot-billing.json` | organisation Copilot details, `GET /orgs/{org}/copilot/billing`, counted from the seats | as of 2026-11-20 |

The saved seat lists agree with each other and with the timeline: a seat appears from its
`created_at` on, a seat's last activity never moves backwards from one list to the next, and the
seats active in the 28 days before each list follow the monthly active users of that time.

Overlaps between generations, on purpose: usage summary and metrics API both cover
2024-11-01 to 2025-02-28; metrics API and reports both cover 2025-10-10 to 2026-04-01.

What the organisation looks like:

- Seats grow from a 60-seat pilot (Feb 2024) to 420 seats; daily active users follow an adoption
  S-curve, with a weekday/weekend rhythm, UK bank holidays, a Christmas shutdown and an August lull.
- Completion acceptance rate drifts between about 25 % and 35 %; languages include python,
  typescript, javascript, java, go, csharp, terraform, yaml, markdown, sql and more; editors are
  mostly VS Code, then JetBrains, Visual Studio, Neovim and Xcode.
- The metrics API shows an organisation custom model (`northwind-platform-ft`) on some days of
  2025 and an occasional `null` section; days with fewer than 5 active users are absent.
- The report generation has the newer features (code_completion, chat_panel_ask_mode,
  chat_panel_agent_mode, chat_panel_edit_mode, agent_edit, chat_inline) and chat models
  (gpt-4.1, claude-sonnet-4, claude-sonnet-4.5, gpt-5, ...). On days with per-user records the
  organisation's day is exactly the sum of its users: counters, `daily_active_users` (= rows),
  `daily_active_cli_users` (= rows with `used_cli`), cloud-agent / code-review / app users, and
  the adoption-phase `total_engaged_users`; weekly/monthly counts are never below the distinct
  users of the rows in their window. On days with repos rows the organisation's `pull_requests`
  counts are the sums of the repositories' rows (medians are drawn, as medians cannot be summed).
- The 2026 fields appear on the day they did at GitHub and are absent before: CLI counts from
  2026-03-13 (the `copilot_cli` feature, counted in the top-level totals, from 2026-04-10),
  cloud-agent users from 2026-04-10, code-review users from 2026-04-22, Copilot app users from
  2026-07-17 (`copilot_app` feature from 2026-07-28), VS Code Agents window from 2026-09-11,
  third-party agents from 2026-08-07, CLI skills/MCP/slash commands from 2026-09-17, adoption
  phases from 2026-05-29 (`users_in_phase_28d` from 2026-09-17); pull-request merges, medians and
  suggestions from 2026-02-25, `total_merged_reviewed_by_copilot` from 2026-04-08 and
  `copilot_suggestions_by_comment_type` from 2026-05-08; review times from 2026-09-25. CLI, cloud
  agent and code review grow through 2026.
- Seats include the awkward cases real exports have: never used (`last_activity_at: null`),
  `""` from old exports, pending cancellations, one seat whose `assignee` is `null`, plan types
  business / enterprise / unknown, and `last_activity_editor` values such as
  `vscode/1.106.0/copilot-chat/0.33.1`, `copilot-developer-cli/1.0/`, `""` and `"/"`.

Known, deliberate quirks (as in real exports): usage-summary day totals are not always the sum of
their breakdown; per-row `active_users` / `total_engaged_users` must never be added across rows;
a few usage-summary days are missing.
"""
