"""Issue 13, point 12: the notice e-mail under a misbehaving mail server, to a
real SMTP server on loopback (aiosmtpd). No duplicate after a dropped
connection (at most once: a message whose reply was lost goes on paper), a
claim of a killed run reclaimed, a refused login turning into letters and a
non-zero exit, and stale (superseded) notices never sent."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from desk_app.cli.notices import MAIL_NOT_SENT, notices_command
from desk_app.domain.roles import Job
from desk_app.services.circulation import checkout
from desk_app.services.context import Actor
from desk_app.services.daily_run import daily_run
from desk_app.services.enrolment import BorrowerRecord, ItemRecord, declare
from desk_app.services.notice_letters import Signature, letters_of_day
from desk_app.services.notice_mail import (
    MAX_DROPS,
    STALE_CLAIM,
    UNREACHABLE,
    MailSettings,
    send_pending,
)
from desk_app.settings import DeskSettings, save_settings
from desk_app.store.models import Borrower, Card, Loan, Notice, NoticeMail
from tests.helpers.people import ANNE, BO, card, item, seed_cast
from tests.helpers.smtp import PASSWORD, USER, Inbox, free_port, self_signed, smtp_server
from tests.helpers.staffing import test_actor

RUNNER = Actor("daily run", "test-desk", job=Job.DAILY_RUN)
SIGN = Signature("Det Kgl. Bibliotek", "Udlånet, Main desk")
LOANED = datetime(2025, 1, 2, 10, 0)
RUN_DAY = date(2026, 1, 3)  # the day after the loans of 2025-01-02 fall due
FAR = date(2031, 12, 31)
ADDRESSES = {ANNE: "anne@di.ku.dk", BO: "bo@di.ku.dk"}


def _mail(port: int, **changes: object) -> MailSettings:
    settings = {"host": "127.0.0.1", "port": port, "security": "none", "sender": "udlaan@kb.dk"}
    return MailSettings(**{**settings, **changes})  # type: ignore[arg-type]


def _set_addresses(ctx, addresses: dict[str, str | None]) -> None:  # type: ignore[no-untyped-def]
    with ctx.sessions.begin() as session:
        for card_number, address in addresses.items():
            borrower_id = session.scalar(select(Card.borrower_id).where(Card.lookup == card_number))
            session.execute(
                update(Borrower).where(Borrower.id == borrower_id).values(email=address)
            )


def _states(ctx) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(address, state) of each outbox row."""
    with ctx.sessions() as session:
        rows = session.execute(select(NoticeMail.address, NoticeMail.state).order_by(NoticeMail.id))
        return [(address, state) for address, state in rows]


def _state_counts(ctx) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(state for _, state in _states(ctx))


def _body(message) -> str:  # type: ignore[no-untyped-def]
    return str(message.get_body(("plain",)).get_content())


def _declare(ctx, borrowers=(), items=()) -> None:  # type: ignore[no-untyped-def]
    declare(ctx, test_actor(ctx), borrowers=borrowers, items=items)


@pytest.fixture
def overdue(ctx, actor, clock):  # type: ignore[no-untyped-def]
    """Anne has two loans and Bo one, all due 2026-01-02."""
    seed_cast(ctx)
    _set_addresses(ctx, ADDRESSES)
    clock.set(LOANED)
    for card_number, barcode in ((ANNE, item(1)), (ANNE, item(2)), (BO, item(6))):
        assert checkout(ctx, actor, card_number, barcode).ok
    clock.set(datetime.combine(RUN_DAY, time(7)))
    return ctx


@pytest.fixture
def forty(ctx, actor, clock):  # type: ignore[no-untyped-def]
    """Forty borrowers with an address and one overdue loan each."""
    seed_cast(ctx)  # the institutes
    numbers = range(101, 141)
    _declare(
        ctx,
        borrowers=[
            BorrowerRecord(
                card(n), f"Låner {n}", "researcher", "DIKU", card_expires=FAR, email=f"l{n}@ku.dk"
            )
            for n in numbers
        ],
        items=[ItemRecord(item(n), f"Bog nummer {n}") for n in numbers],
    )
    clock.set(LOANED)
    for n in numbers:
        assert checkout(ctx, actor, card(n), item(n)).ok
    clock.set(datetime.combine(RUN_DAY, time(7)))
    return ctx


@pytest.mark.parametrize("drop", ["before_reply", "after_reply"])
def test_h13_p12_a_connection_dropped_at_message_17_of_40_sends_no_duplicate(forty, drop):
    """The server stores message 17 and hangs up, before or after its "250"
    reply. Before: the desk cannot know it was stored, so at most once: it is
    never sent again and goes out as a letter (39 e-mails + 1 letter). After:
    the next message finds the line dead and goes again on a new connection
    (40 e-mails). Either way the batch goes on, and nothing arrives twice."""
    k = 17
    inbox = Inbox()
    getattr(inbox, f"drop_{drop}").add(k)
    with smtp_server(inbox=inbox) as (_, port):
        report = daily_run(forty, RUNNER, _mail(port), SIGN, "da", RUN_DAY)
        again = send_pending(forty, RUNNER, _mail(port), SIGN, "da")  # a later run sends nothing
    ids = [m["Message-ID"] for m in inbox.messages]
    recipients = [r for rs in inbox.envelopes for r in rs]
    assert len(ids) == 40 and len(set(ids)) == 40  # 40 distinct deliveries
    assert len(set(recipients)) == 40 and len(recipients) == 40  # never a duplicate
    assert again.sent == 0 and len(inbox.messages) == 40
    assert report.mail.trouble is None and report.mail.pending == 0  # the batch went on
    states = _state_counts(forty)
    if drop == "before_reply":
        assert states == {"sent": 39, "uncertain": 1}
        assert (report.mail.sent, report.mail.failed, report.letters_to_print) == (39, 1, 1)
        (letter,) = letters_of_day(forty, RUNNER, RUN_DAY, SIGN, "da", postal_only=True)
        assert letter.email == inbox.messages[k - 1]["To"]  # the one whose reply was lost
    else:
        assert states == {"sent": 40}
        assert (report.mail.sent, report.letters_to_print) == (40, 0)
        assert letters_of_day(forty, RUNNER, RUN_DAY, SIGN, "da", postal_only=True) == []


def test_h13_p12_a_server_that_keeps_hanging_up_stops_the_batch_and_the_rest_wait(forty):
    inbox = Inbox(drop_before_reply={5, 6, 7})  # three in a row
    with smtp_server(inbox=inbox) as (_, port):
        report = daily_run(forty, RUNNER, _mail(port), SIGN, "da", RUN_DAY)
    assert MAX_DROPS == 3 and len(inbox.messages) == 7
    assert (report.mail.sent, report.mail.failed, report.mail.pending) == (4, 3, 33)
    assert report.mail.trouble and "stopped answering" in (report.mail.problem or "")
    assert len({m["To"] for m in inbox.messages}) == 7


class _Killed(BaseException):
    """The desk's process killed in the middle of a send."""


class _DiesWhileSending:
    def send_message(self, msg):  # type: ignore[no-untyped-def]
        raise _Killed

    def quit(self) -> None:
        pass


def test_h13_p12_a_message_left_sending_by_a_killed_run_goes_as_a_letter_after_the_stale_time(
    overdue, clock
):
    """A claim older than STALE_CLAIM was made by a desk that died. It may
    have died after the server stored the message: at most once, so the next
    run turns it into a printed letter instead of sending it again."""
    daily_run(overdue, RUNNER, MailSettings(), SIGN, "da", RUN_DAY)  # e-mail not set up yet
    with pytest.raises(_Killed):
        send_pending(overdue, RUNNER, _mail(25), SIGN, "da", connect=lambda _m: _DiesWhileSending())
    assert sorted(_state_counts(overdue)) == ["pending", "sending"]
    (claimed,) = [address for address, state in _states(overdue) if state == "sending"]
    (other,) = set(ADDRESSES.values()) - {claimed}
    killed_at = clock.now()
    with smtp_server() as (inbox, port):
        clock.set(killed_at + STALE_CLAIM - timedelta(minutes=1))  # that desk may be alive
        soon = send_pending(overdue, RUNNER, _mail(port), SIGN, "da")
        assert (soon.sent, soon.failed) == (1, 0)
        assert _state_counts(overdue) == {"sending": 1, "sent": 1}
        clock.set(killed_at + STALE_CLAIM + timedelta(minutes=1))
        later = send_pending(overdue, RUNNER, _mail(port), SIGN, "da")
        assert (later.sent, later.failed, later.pending) == (0, 1, 0)
    assert sorted(_states(overdue)) == sorted([(claimed, "uncertain"), (other, "sent")])
    assert [m["To"] for m in inbox.messages] == [other]  # the claimed one never by e-mail ...
    postal = letters_of_day(overdue, RUNNER, RUN_DAY, SIGN, "da", postal_only=True)
    assert [x.email for x in postal] == [claimed]  # ... but on paper, in the day's batch


def test_h13_p12_login_refused_for_five_days_letters_exit_3_then_one_current_email(
    ctx, actor, clock, tmp_path, monkeypatch, capsys
):
    """Anne has a loan falling due on each of five days, Bo one on the first.
    The server refuses the login for five daily runs: `desk-app notices`
    exits 3 each day with one line saying why, and each message not sent 24 h
    after its run is in the next day's letters. When the server takes the
    login again, Anne gets one e-mail, the current notice, and Bo none."""
    seed_cast(ctx)
    _set_addresses(ctx, ADDRESSES)
    _declare(ctx, items=[ItemRecord(item(n), f"Bog nummer {n}") for n in range(11, 16)])
    clock.set(LOANED)
    assert checkout(ctx, actor, BO, item(6)).ok
    for n in range(11, 16):  # one a day
        assert checkout(ctx, actor, ANNE, item(n)).ok
        clock.set(clock.now() + timedelta(days=1))
    with ctx.sessions() as session:
        dues = sorted(session.scalars(select(Loan.due).where(Loan.item_id.is_not(None))))
    days = sorted({due + timedelta(days=1) for due in dues})
    assert len(days) == 5  # a notice for Anne every run day, Bo's on the first
    data = tmp_path / "data"
    inbox = Inbox(refuse_login=True)
    monkeypatch.setenv("DESK_APP_SMTP_PASSWORD", PASSWORD)
    with smtp_server(inbox=inbox, login=True) as (_, port):
        save_settings(
            data,
            DeskSettings(
                smtp_host="127.0.0.1",
                smtp_port=port,
                smtp_security="none",
                smtp_user=USER,
                mail_from="udlaan@kb.dk",
                letter_language="da",
            ),
        )
        letters: list[list[str]] = []
        for day in days:
            clock.set(datetime.combine(day, time(7)))
            assert notices_command(ctx, day, data) == MAIL_NOT_SENT
            out, err = capsys.readouterr()
            assert err.count("\n") == 1 and err.startswith("desk-app notices: e-mail not sent")
            assert "refused the login" in err and "535" in err
            assert "1 notice(s)" in out or "2 notice(s)" in out
            letters.append(
                [
                    " ".join(line.item_barcode for line in x.lines)
                    for x in letters_of_day(ctx, RUNNER, day, SIGN, "da", postal_only=True)
                ]
            )
        assert inbox.messages == [] and inbox.logins == 5
        # the day after each run, its messages are letters; the last day's wait
        assert letters == [[], [item(11), item(6)], [item(12)], [item(13)], [item(14)]]
        inbox.refuse_login = False  # the password is put right the same morning
        clock.set(datetime.combine(days[-1], time(9)))
        assert notices_command(ctx, days[-1], data) == 0
        assert capsys.readouterr().err == ""
    assert [m["To"] for m in inbox.messages] == ["anne@di.ku.dk"]  # one e-mail, none stale
    body = _body(inbox.messages[0])
    assert item(15) in body and not any(item(n) in body for n in range(11, 15))
    assert _state_counts(ctx) == {"expired": 5, "sent": 1}


def test_h13_p12_superseded_notices_are_neither_sent_nor_printed(overdue, clock):
    """The server is down on the day of the recalls and, with the set time at
    30 days, they still wait when the reminders come 15 days later: only the
    reminders are sent, one e-mail per borrower; the recalls are superseded,
    neither sent nor printed."""
    month = timedelta(days=30)
    port = free_port()  # nobody answers yet
    first = daily_run(
        overdue, RUNNER, _mail(port, timeout=5), SIGN, "da", RUN_DAY, letter_after=month
    )
    assert first.by_step == {"RECALL": 3} and first.mail.trouble == UNREACHABLE
    later_day = RUN_DAY + timedelta(days=15)  # past the recalls' deadline (D + 14)
    clock.set(datetime.combine(later_day, time(7)))
    with smtp_server(port) as (inbox, _):
        second = daily_run(overdue, RUNNER, _mail(port), SIGN, "da", later_day, letter_after=month)
    assert second.by_step == {"REMINDER_1": 3}
    assert (second.mail.sent, second.mail.superseded, second.letters_to_print) == (2, 2, 0)
    assert sorted(m["To"] for m in inbox.messages) == ["anne@di.ku.dk", "bo@di.ku.dk"]
    anne = next(m for m in inbox.messages if m["To"] == "anne@di.ku.dk")
    assert item(1) in _body(anne) and item(2) in _body(anne)
    with overdue.sessions() as session:
        deadlines = dict(session.execute(select(Notice.step, Notice.deadline)).all())
    assert deadlines["RECALL"] < deadlines["REMINDER_1"]
    assert f"{deadlines['REMINDER_1']:%d.%m.%Y}" in _body(anne)
    assert f"{deadlines['RECALL']:%d.%m.%Y}" not in _body(anne)  # the stale recall is not sent
    assert _state_counts(overdue) == {"superseded": 2, "sent": 2}
    for day in (RUN_DAY, later_day):
        assert letters_of_day(overdue, RUNNER, day, SIGN, "da", postal_only=True) == []


def test_h13_p12_desk_app_notices_exits_3_with_one_line_when_mail_cannot_go(tmp_path):
    """The console command as cron runs it: the server does not answer."""
    import json
    import sqlite3

    from tests.helpers.desk_cli import ANNE_CARD, BOOK, desk, one_loan_scenario

    scenario = one_loan_scenario(
        {"at": "2025-01-05T10:00", "op": "checkout", "card": ANNE_CARD, "item": BOOK}
        | {"staff": "kari", "desk": "KUB Nord"}
    )
    (tmp_path / "s.json").write_text(json.dumps(scenario))
    db = tmp_path / "desk.sqlite3"
    url = f"sqlite:///{db}"
    assert desk("replay", str(tmp_path / "s.json"), "--db", url).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE borrowers SET email = 'anne@di.ku.dk'")
    data = tmp_path / "data"
    save_settings(
        data,
        DeskSettings(
            smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none", mail_from="k@kb.dk"
        ),
    )
    run = desk("--db", url, "notices", "--date", "2026-01-06", env={"DESK_APP_DATA_DIR": str(data)})
    assert run.returncode == MAIL_NOT_SENT == 3
    assert "1 notice(s)" in run.stdout and "E-mail: 0 sent, 1 waiting" in run.stdout
    (line,) = run.stderr.splitlines()
    assert line.startswith("desk-app notices: e-mail not sent: The mail server 127.0.0.1:")
    assert "did not answer" in line and "printed letters 24 h after their run" in line
    quiet = desk(
        "--db", url, "notices", "--date", "2026-01-06", "--no-email",
        env={"DESK_APP_DATA_DIR": str(data)},
    )  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == ""  # no e-mail asked for: nothing failed


def test_h13_p12_over_implicit_tls_a_lost_reply_is_a_letter_too(overdue, tmp_path):
    """The same at-most-once rule on an implicit-TLS (port 465) connection."""
    context, cert = self_signed(tmp_path)
    inbox = Inbox(drop_before_reply={1})
    with smtp_server(inbox=inbox, implicit_tls=context) as (_, port):
        mail = _mail(port, security="tls", ca_file=str(cert))
        report = daily_run(overdue, RUNNER, mail, SIGN, "da", RUN_DAY)
        assert send_pending(overdue, RUNNER, mail, SIGN, "da").sent == 0
    assert (report.mail.sent, report.mail.failed, report.mail.trouble) == (1, 1, None)
    assert len(inbox.messages) == 2 and len({m["To"] for m in inbox.messages}) == 2
    (letter,) = letters_of_day(overdue, RUNNER, RUN_DAY, SIGN, "da", postal_only=True)
    assert letter.email == inbox.messages[0]["To"]
