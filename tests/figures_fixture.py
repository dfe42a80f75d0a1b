"""Synthetic rosters built to given figures: a group's members (`member_roster`) or a counselling
point's or outreach team's sessions (`outreach_roster`) whose records make the package's program
indicators come out at exactly the targets given, for one reporting window.

The targets are the input; how the records reach them is drawn from a seeded generator (who,
which day, how many per session, how an amount is split), with records that must NOT count
beside them: members who relapsed at their latest follow-up, were not followed up, left in the
year or are not people after treatment; support, attendance and sessions of the year before or
after. Every record also lands in `Built.counted`, so that the expected value of any window (a
quarter, a month) is known without reading the indicators' definitions a second time.

    built = member_roster(contract, MemberTargets(not_relapsed=148, ...), group="AG-LX-CLB", year=2015)
    built.expected(date(2015, 4, 1), date(2015, 6, 30))   # {code: value} of that quarter

Everything is made up; the rows validate with no finding (the program rules' conditions are kept:
loan and gift amounts, referral outcomes, no more detox or voluntary entries than clients).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from scdi.connector.roster.contract import RosterContract, SheetSpec
from scdi.connector.roster.synthetic import RosterData, Row, _fill, _followup, _intake, _referral

AFTER_TREATMENT = ("SCDI_SITUATION_AFTER_COMPULSORY", "SCDI_SITUATION_AFTER_VOLUNTARY",
                   "SCDI_SITUATION_AFTER_COMMUNITY")
NOT_AFTER_TREATMENT = ("SCDI_SITUATION_ON_METHADONE", "SCDI_SITUATION_USING", "SCDI_SITUATION_AFTER_PRISON",
                       "SCDI_SITUATION_FAMILY", "SCDI_SITUATION_OTHER")
# Figures counted per person (distinct members) rather than per record.
PEOPLE = {"SCDI_PI_LOAN_PEOPLE", "SCDI_PI_GIFT_PEOPLE", "SCDI_PI_MEMBERS_IN_MEETINGS"}


@dataclass(frozen=True)
class MemberTargets:
    not_relapsed: int = 0
    not_relapsed_in_meetings: int = 0
    in_meetings: int = 0  # distinct members at a meeting, those not relapsed included
    loan_people: int = 0
    loan_vnd: int = 0
    houses_built: int = 0
    houses_repaired: int = 0
    gift_people: int = 0
    gift_vnd: int = 0
    job_referrals: int = 0

    def figures(self) -> dict[str, int]:
        return {"SCDI_PI_NOT_RELAPSED": self.not_relapsed,
                "SCDI_PI_NOT_RELAPSED_IN_MEETINGS": self.not_relapsed_in_meetings,
                "SCDI_PI_MEMBERS_IN_MEETINGS": self.in_meetings, "SCDI_PI_LOAN_PEOPLE": self.loan_people,
                "SCDI_PI_LOAN_VND": self.loan_vnd, "SCDI_PI_HOUSES_BUILT": self.houses_built,
                "SCDI_PI_HOUSES_REPAIRED": self.houses_repaired, "SCDI_PI_GIFT_PEOPLE": self.gift_people,
                "SCDI_PI_GIFT_VND": self.gift_vnd, "SCDI_PI_JOB_REFERRALS": self.job_referrals}


@dataclass(frozen=True)
class OutreachTargets:
    sessions: int = 0  # direct sessions (individual and group), conferences apart
    clients: int = 0  # clients of the direct sessions
    conferences: int = 0
    conference_clients: int = 0
    into_voluntary: int = 0
    detox: int = 0
    communes: tuple[str, ...] = ()  # org unit codes of the communes where sessions were held

    def figures(self) -> dict[str, int]:
        return {"SCDI_PI_OUT_SESSIONS": self.sessions, "SCDI_PI_OUT_CLIENTS": self.clients,
                "SCDI_PI_OUT_CONFERENCES": self.conferences,
                "SCDI_PI_OUT_CONFERENCE_CLIENTS": self.conference_clients,
                "SCDI_PI_OUT_CONTACTS": self.clients + self.conference_clients,
                "SCDI_PI_OUT_INTO_VOLUNTARY": self.into_voluntary, "SCDI_PI_OUT_DETOX": self.detox}


@dataclass
class Built:
    data: RosterData
    # (indicator code, day, member code or commune, amount) of every record an event figure counts
    counted: list[tuple[str, date, str, int]] = field(default_factory=list)

    def expected(self, start: date, end: date) -> dict[str, int]:
        """Each event figure over [start, end]: summed, or distinct members for the PEOPLE codes."""
        sums: dict[str, int] = {}
        people: dict[str, set[str]] = {}
        for code, day, who, amount in self.counted:
            if start <= day <= end:
                if code in PEOPLE:
                    people.setdefault(code, set()).add(who)
                else:
                    sums[code] = sums.get(code, 0) + amount
        return {**sums, **{code: len(who) for code, who in people.items()}}

    def communes(self, start: date, end: date) -> dict[str, int]:
        """Sessions per commune over [start, end] (`SCDI_PI_OUT_SESSIONS_BY_COMMUNE`)."""
        out: dict[str, int] = {}
        for code, day, commune, amount in self.counted:
            if code == "SCDI_PI_OUT_SESSIONS_BY_COMMUNE" and start <= day <= end:
                out[commune] = out.get(commune, 0) + amount
        return out


def split(rng: random.Random, total: int, parts: int, minimum: int = 0) -> list[int]:
    """`total` in `parts` random shares of at least `minimum` each, none far above the mean."""
    if parts == 0:
        assert total == 0, "an amount with nothing to spread it over"
        return []
    assert total >= parts * minimum, f"{total} cannot be split into {parts} parts of at least {minimum}"
    free = total - parts * minimum
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [int(free * w / sum(weights)) for w in weights]
    for i in rng.sample(range(parts), free - sum(shares)):  # what rounding down left, under one per part
        shares[i] += 1
    return [minimum + s for s in shares]


def capped(rng: random.Random, total: int, caps: list[int]) -> list[int]:
    """`total` units spread at random over slots, slot i holding at most caps[i]."""
    assert total <= sum(caps), f"{total} does not fit under caps summing to {sum(caps)}"
    out = [0] * len(caps)
    open_slots = [i for i, c in enumerate(caps) if c > 0]
    for _ in range(total):
        i = rng.choice(open_slots)
        out[i] += 1
        if out[i] == caps[i]:
            open_slots.remove(i)
    return out


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


@dataclass
class _Member:
    code: str
    enrolled: date
    role: str  # counted | relapsed | unfollowed | exited | other
    left: date | None = None
    used: dict[str, set[date]] = field(default_factory=dict)  # sheet → days taken (member + date is a key)

    def free_day(self, rng: random.Random, sheet: str, start: date, end: date) -> date:
        taken = self.used.setdefault(sheet, set())
        start = max(start, self.enrolled + timedelta(days=1))
        end = min(end, (self.left - timedelta(days=1)) if self.left else end)
        for _ in range(500):
            day = _day(rng, start, end)
            if day not in taken:
                taken.add(day)
                return day
        raise AssertionError(f"no free day left for {self.code} on {sheet}")


def member_roster(contract: RosterContract, targets: MemberTargets, *, group: str, year: int,
                  seed: int) -> Built:
    """A group's members and records whose year `year` gives `targets` exactly."""
    t = targets
    assert t.not_relapsed_in_meetings <= t.not_relapsed and t.not_relapsed_in_meetings <= t.in_meetings
    assert t.loan_people <= t.loan_vnd // 100_000 and t.gift_people <= t.gift_vnd // 50_000
    rng = random.Random(seed)
    start, end = date(year, 1, 1), date(year, 12, 31)
    before, before_end = date(year - 1, 1, 1), date(year - 1, 12, 31)
    sheets = {s.key: s for s in contract.sheets}
    data = RosterData(group=group, today=date(2025, 12, 31), rows={s.key: [] for s in contract.sheets})
    built = Built(data)

    # who: the counted members, then others enough for the meetings' and the support's people
    others_in_meetings = t.in_meetings - t.not_relapsed_in_meetings
    pool_needed = max(t.loan_people, t.gift_people) - t.not_relapsed
    n_others = max(others_in_meetings, pool_needed + 4, 0) + rng.randint(4, 12)
    roles = ["counted"] * t.not_relapsed + [rng.choice(("relapsed", "unfollowed", "exited", "other", "other"))
                                            for _ in range(n_others)]
    while sum(r != "exited" for r in roles) < max(t.loan_people, t.gift_people) + 2:
        roles.append("other")  # support goes to members who stay
    members: list[_Member] = []
    for n, role in enumerate(roles):
        enrolled = _day(rng, date(year - 3, 1, 1), date(year, 6, 30))
        member = _Member(f"{group}-{n + 1:05d}", enrolled, role)
        if role == "exited":
            member.left = _day(rng, max(enrolled, start) + timedelta(days=45), end)
        members.append(member)
        situation = rng.choice(NOT_AFTER_TREATMENT if role == "other" else AFTER_TREATMENT)
        row: Row = {"member_code": member.code, "enrolled_on": enrolled.isoformat(),
                    "status": "left" if member.left else "active", "situation": situation,
                    "year_of_birth": str(rng.randint(1960, enrolled.year - 18))}
        data.rows["members"].append(_fill(rng, sheets["members"], row, enrolled, {"alias", "phone"}))
        data.rows["intake"].append(_intake(rng, sheets["intake"], member.code, enrolled))
        _followups(rng, sheets["followup"], data, member, start, end, before, before_end)
        if member.left:
            data.rows["exit"].append(_fill(rng, sheets["exit"], {
                "member_code": member.code, "date": member.left.isoformat(),
                "exit_reason": "SCDI_EXIT_REASON_MOVED"}, member.left, set()))

    # meetings: the 5th and the 20th of every month of both years; attendance by who must count
    days = [date(y, m, d) for y in (year - 1, year) for m in range(1, 13) for d in (5, 20)]
    present: dict[date, int] = dict.fromkeys(days, 0)
    counted = [m for m in members if m.role == "counted"]
    attendees = rng.sample(counted, t.not_relapsed_in_meetings) + rng.sample(
        [m for m in members if m.role != "counted"], others_in_meetings)
    absent_this_year = [m for m in members if m not in attendees and m.enrolled < date(year - 1, 12, 1)]
    for member in attendees:
        _attend(rng, data, member, [d for d in days if start <= d <= end], present, built)
    for member in rng.sample(absent_this_year, len(absent_this_year) // 3):
        _attend(rng, data, member, [d for d in days if before <= d <= before_end], present, built)
    for day in days:
        data.rows["meeting"].append(_fill(rng, sheets["meeting"], {
            "date": day.isoformat(), "mtg_members_present": str(present[day]), "mtg_new_members": "0",
            "mtg_family_present": "0"}, day, set()))

    # support: people and amounts, then houses and job referrals; a few of the year before
    pool = [m for m in members if m.left is None]
    _support(rng, sheets["support"], data, built, pool, "LOAN", t.loan_people, t.loan_vnd, 100_000, start, end)
    _support(rng, sheets["support"], data, built, pool, "GIFT", t.gift_people, t.gift_vnd, 50_000, start, end)
    for kind, count in (("HOUSE_BUILT", t.houses_built), ("HOUSE_REPAIRED", t.houses_repaired)):
        for _ in range(count):
            _support_row(rng, sheets["support"], data, built, rng.choice(pool), kind, None, start, end)
    by_referral = rng.randint(0, t.job_referrals)
    for _ in range(t.job_referrals - by_referral):
        _support_row(rng, sheets["support"], data, built, rng.choice(pool), "JOB_REFERRAL", None, start, end)
    for _ in range(by_referral):
        _job_referral(rng, sheets["referral"], data, built, rng.choice(pool), start, end)
    early = [m for m in pool if m.enrolled < date(year - 1, 6, 1)]
    for member in rng.sample(early, min(len(early), 6)):
        kind = rng.choice(("LOAN", "GIFT", "HOUSE_BUILT", "HOUSE_REPAIRED", "JOB_REFERRAL"))
        amount = rng.randint(1, 30) * 100_000 if kind in ("LOAN", "GIFT") else None
        _support_row(rng, sheets["support"], data, built, member, kind, amount, before, before_end)
    for member in rng.sample(pool, min(len(pool), 5)):  # referrals of other services count nowhere here
        row = _referral(rng, sheets["referral"], member.code, member.free_day(rng, "referral", start, end), end)
        if row["ref_service"] == "SCDI_REFERRAL_SERVICE_JOB_PLACEMENT":
            row["ref_service"] = "SCDI_REFERRAL_SERVICE_HEALTH_CHECK"
        data.rows["referral"].append(row)
    return built


def _followups(rng: random.Random, sheet: SheetSpec, data: RosterData, member: _Member, start: date,
               end: date, before: date, before_end: date) -> None:
    """Follow-ups whose latest in the year says what the member's role needs."""
    def add(day: date, used: bool) -> None:
        row = _followup(rng, sheet, member.code, day)
        row["fu_used_30d"] = "true" if used else "false"
        if used:
            row["fu_drug_used"] = row.get("fu_drug_used") or "SCDI_DRUG_HEROIN"
        else:
            row.pop("fu_drug_used", None)
        data.rows["followup"].append(row)

    if member.enrolled < before_end - timedelta(days=30):
        add(member.free_day(rng, "followup", before, before_end), rng.random() < 0.3)
    if member.role == "unfollowed":
        return
    days = sorted(member.free_day(rng, "followup", start, end) for _ in range(rng.randint(1, 4)))
    for day in days[:-1]:
        add(day, member.role != "exited" and rng.random() < 0.3)
    add(days[-1], member.role == "relapsed")


def _attend(rng: random.Random, data: RosterData, member: _Member, days: list[date], present: dict[date, int],
            built: Built) -> None:
    possible = [d for d in days if d > member.enrolled and (member.left is None or d < member.left)]
    assert possible, f"{member.code} has no meeting to attend"
    for day in rng.sample(possible, min(len(possible), rng.randint(1, 3))):
        present[day] += 1
        row: Row = {"member_code": member.code, "date": day.isoformat(),
                    "att_role": "SCDI_ATTENDANCE_ROLE_MEMBER"}
        data.rows["attendance"].append(row)
        built.counted.append(("SCDI_PI_MEMBERS_IN_MEETINGS", day, member.code, 1))


def _support(rng: random.Random, sheet: SheetSpec, data: RosterData, built: Built, pool: list[_Member],
             kind: str, people: int, total: int, unit: int, start: date, end: date) -> None:
    """`people` distinct members given `kind`, some twice, amounts adding up to `total` (in `unit`s)."""
    if people == 0:
        assert total == 0
        return
    chosen = rng.sample(pool, people)
    times = chosen + rng.sample(chosen, rng.randint(0, min(people // 8, total // unit - people)))
    assert total % unit == 0, f"{total} is not a whole number of {unit}"
    for member, units in zip(times, split(rng, total // unit, len(times), 1), strict=True):
        _support_row(rng, sheet, data, built, member, kind, units * unit, start, end)


def _support_row(rng: random.Random, sheet: SheetSpec, data: RosterData, built: Built, member: _Member,
                 kind: str, amount: int | None, start: date, end: date) -> None:
    day = member.free_day(rng, "support", start, end)
    row: Row = {"member_code": member.code, "date": day.isoformat(), "sup_kind": f"SCDI_SUPPORT_KIND_{kind}"}
    if amount is not None:
        row["sup_amount_vnd"] = str(amount)
    data.rows["support"].append(_fill(rng, sheet, row, day, set()))
    figures = {"LOAN": ("SCDI_PI_LOAN_VND", "SCDI_PI_LOAN_PEOPLE"), "GIFT": ("SCDI_PI_GIFT_VND", "SCDI_PI_GIFT_PEOPLE"),
               "HOUSE_BUILT": ("SCDI_PI_HOUSES_BUILT",), "HOUSE_REPAIRED": ("SCDI_PI_HOUSES_REPAIRED",),
               "JOB_REFERRAL": ("SCDI_PI_JOB_REFERRALS",)}[kind]
    built.counted.append((figures[0], day, member.code, amount if amount is not None else 1))
    if len(figures) > 1:
        built.counted.append((figures[1], day, member.code, 1))


def _job_referral(rng: random.Random, sheet: SheetSpec, data: RosterData, built: Built, member: _Member,
                  start: date, end: date) -> None:
    day = member.free_day(rng, "referral", start, end)
    row = _referral(rng, sheet, member.code, day, end)
    row["ref_service"] = "SCDI_REFERRAL_SERVICE_JOB_PLACEMENT"
    data.rows["referral"].append(row)
    built.counted.append(("SCDI_PI_JOB_REFERRALS", day, member.code, 1))


def outreach_roster(contract: RosterContract, targets: OutreachTargets, *, group: str, start: date, end: date,
                    seed: int) -> Built:
    """A point's or team's sessions between `start` and `end` that give `targets` exactly, and a few
    sessions of the following year that must not count."""
    t = targets
    rng = random.Random(seed)
    sheet = contract.sheets[0]
    data = RosterData(group=group, today=date(2025, 12, 31), rows={s.key: [] for s in contract.sheets})
    built = Built(data)
    assert t.clients >= t.sessions, "a direct session has at least one client"
    n_individual = rng.randint(0, t.sessions // 3)
    individual = [1] * n_individual
    group_clients = split(rng, t.clients - n_individual, t.sessions - n_individual, 1)
    kinds = ["INDIVIDUAL"] * n_individual + ["GROUP"] * len(group_clients) + ["CONFERENCE"] * t.conferences
    clients = individual + group_clients + split(rng, t.conference_clients, t.conferences, 1)
    assert max(clients, default=0) <= 300, "a session above 300 clients: give more sessions"
    detox, voluntary = capped(rng, t.detox, clients), capped(rng, t.into_voluntary, clients)
    assert len(kinds) >= len(t.communes), "fewer sessions than communes reached"
    communes = list(t.communes) + [rng.choice(t.communes) for _ in range(len(kinds) - len(t.communes))]
    rng.shuffle(communes)
    following = (date(end.year + 1, 1, 1), date(end.year + 1, 6, 30))
    extra = [(rng.choice(("GROUP", "CONFERENCE")), rng.randint(2, 30)) for _ in range(rng.randint(2, 5))]
    rows = [(k, c, d, v, o, _day(rng, start, end)) for k, c, d, v, o in
            zip(kinds, clients, detox, voluntary, communes, strict=True)]
    rows += [(k, c, rng.randint(0, 1), rng.randint(0, 1), rng.choice(t.communes), _day(rng, *following))
             for k, c in extra]
    for kind, count, detox_n, voluntary_n, commune, day in sorted(rows, key=lambda r: r[-1]):
        male = rng.randint(0, count)
        row: Row = {"date": day.isoformat(), "out_session_kind": f"SCDI_SESSION_KIND_{kind}",
                    "out_commune": commune, "out_clients_male": str(male), "out_clients_female": str(count - male),
                    "out_detox_started": str(detox_n), "out_into_voluntary": str(voluntary_n),
                    "out_referred_voluntary": str(voluntary_n)}
        data.rows[sheet.key].append(_fill(rng, sheet, row, day, set()))
        direct = kind != "CONFERENCE"
        built.counted += [
            ("SCDI_PI_OUT_SESSIONS" if direct else "SCDI_PI_OUT_CONFERENCES", day, commune, 1),
            ("SCDI_PI_OUT_CLIENTS" if direct else "SCDI_PI_OUT_CONFERENCE_CLIENTS", day, commune, count),
            ("SCDI_PI_OUT_CONTACTS", day, commune, count), ("SCDI_PI_OUT_DETOX", day, commune, detox_n),
            ("SCDI_PI_OUT_INTO_VOLUNTARY", day, commune, voluntary_n),
            ("SCDI_PI_OUT_SESSIONS_BY_COMMUNE", day, commune, 1)]
    return built
