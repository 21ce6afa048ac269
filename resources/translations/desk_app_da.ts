<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="da" sourcelanguage="en">
<context>
    <name>Banner</name>
    <message>
        <location filename="../../desk_app/gui/banner.py" line="+34"/>
        <source>Misread: scan again</source>
        <translation>Fejllæsning: scan igen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scan the card first</source>
        <translation>Scan kortet først</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Suspended borrower</source>
        <translation>Suspenderet låner</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+30"/>
        <source>Card not valid</source>
        <translation>Kortet er ikke gyldigt</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Already loaded</source>
        <translation>Allerede læsset</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loaned by override</source>
        <translation>Udlånt ved overstyring</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Returned and lent on to {name}</source>
        <translation>Afleveret og lånt videre til {name}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lent to {name} (request)</source>
        <translation>Lånt ud til {name} (reservering)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Requested: keep it at the desk</source>
        <translation>Reserveret: behold det i skranken</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Renewed, some refused</source>
        <translation>Fornyet, nogle afvist</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loaned</source>
        <translation>Udlånt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned</source>
        <translation>Afleveret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewed</source>
        <translation>Fornyet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requested</source>
        <translation>Reserveret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request cancelled</source>
        <translation>Reservering annulleret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No request to cancel</source>
        <translation>Ingen reservering at annullere</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt e-mailed</source>
        <translation>Kvittering sendt som e-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt not e-mailed</source>
        <translation>Kvittering ikke sendt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ordered</source>
        <translation>Bestilt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkout undone</source>
        <translation>Udlån fortrudt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card unknown</source>
        <translation>Ukendt kort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not eligible</source>
        <translation>Ikke omfattet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused: suspended</source>
        <translation>Afvist: suspenderet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Item unknown</source>
        <translation>Ukendt eksemplar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Already on loan</source>
        <translation>Allerede udlånt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reserved for another borrower</source>
        <translation>Reserveret til en anden låner</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not for loan</source>
        <translation>Kan ikke udlånes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading room only</source>
        <translation>Kun til læsesalen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewal refused: requested</source>
        <translation>Fornyelse afvist: reserveret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewal refused</source>
        <translation>Fornyelse afvist</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewal refused: ILL</source>
        <translation>Fornyelse afvist: indlån</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not on loan</source>
        <translation>Ikke udlånt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Override refused</source>
        <translation>Overstyring afvist</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot undo</source>
        <translation>Kan ikke fortrydes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loaded</source>
        <translation>Læsset</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not on this manifest</source>
        <translation>Ikke på dette manifest</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dispatched</source>
        <translation>Afsendt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delivered</source>
        <translation>Leveret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not possible</source>
        <translation>Ikke muligt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return announced</source>
        <translation>Aflevering meldt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not permitted</source>
        <translation>Ikke tilladt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refused</source>
        <translation>Afvist</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Ready</source>
        <translation>Klar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan the borrower&apos;s card, then the items.</source>
        <translation>Scan lånerens kort, derefter materialerne.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Rule {rule}</source>
        <translation>Regel {rule}</translation>
    </message>
</context>
<context>
    <name>BorrowerForm</name>
    <message>
        <location filename="../../ui/borrower_panel.ui" line="+5"/>
        <source>Borrower</source>
        <translation>Låner</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No borrower: scan a library card or health card.</source>
        <translation>Ingen låner: scan et lånerkort eller sundhedskort.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Institute</source>
        <translation>Institut</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Delivery</source>
        <translation>Levering</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Card</source>
        <translation>Kort</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>E-resources</source>
        <translation>E-ressourcer</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open loans</source>
        <translation>Aktuelle lån</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Requests</source>
        <translation>Reserveringer</translation>
    </message>
</context>
<context>
    <name>BorrowerPanel</name>
    <message>
        <location filename="../../desk_app/gui/borrower_panel.py" line="+37"/>
        <source>Researcher</source>
        <translation>Forsker</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PhD student</source>
        <translation>Ph.d.-studerende</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Teacher</source>
        <translation>Underviser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emeritus</source>
        <translation>Emeritus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Student</source>
        <translation>Studerende</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>External</source>
        <translation>Ekstern</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Courier to the institute</source>
        <translation>Bud til instituttet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Internal courier</source>
        <translation>Internt bud</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Picks up at the desk</source>
        <translation>Henter selv i skranken</translation>
    </message>
    <message>
        <location filename="../../desk_app/gui/loans_model.py" line="+35"/>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recall</source>
        <translation>Hjemkaldelse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1st reminder</source>
        <translation>1. rykker</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2nd reminder</source>
        <translation>2. rykker</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3rd reminder</source>
        <translation>3. rykker</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suspension</source>
        <translation>Suspension</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Item</source>
        <translation>Eksemplar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due</source>
        <translation>Afleveringsdato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notice step</source>
        <translation>Rykkertrin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location filename="../../desk_app/gui/borrower_panel.py" line="+67"/>
        <source>No borrower: scan a library card or health card.</source>
        <translation>Ingen låner: scan et lånerkort eller sundhedskort.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{card}, valid</source>
        <translation>{card}, gyldigt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{card}: NOT VALID. {problem}</source>
        <translation>{card}: IKKE GYLDIGT. {problem}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Yes: may use the e-resources</source>
        <translation>Ja: må bruge e-ressourcerne</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No access to e-resources</source>
        <translation>Ingen adgang til e-ressourcer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>None</source>
        <translation>Ingen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Requests ({count})</source>
        <translation>Reserveringer ({count})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Requests</source>
        <translation>Reserveringer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>number {position} of {waiting}</source>
        <translation>nummer {position} af {waiting}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>on loan until {date}</source>
        <translation>udlånt til {date}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>on the shelf: on the pick list</source>
        <translation>på hylden: på pluklisten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not on the shelf (lost)</source>
        <translation>ikke på hylden (bortkommet)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>SUSPENDED (S2) because of: {items}</source>
        <translation>SUSPENDERET (S2) på grund af: {items}</translation>
    </message>
    <message>
        <location line="-116"/>
        <location filename="../../desk_app/gui/loans_model.py" line="+54"/>
        <source>(by {date})</source>
        <translation>(senest {date})</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../desk_app/gui/loans_model.py" line="+4"/>
        <source>settled, agreed {date}</source>
        <translation>afgjort, aftalt {date}</translation>
    </message>
    <message>
        <location filename="../../desk_app/gui/loans_model.py" line="+5"/>
        <source>[use at the institute] </source>
        <translation>[brug på instituttet] </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>[private] </source>
        <translation>[privat] </translation>
    </message>
</context>
<context>
    <name>DailyRunDialog</name>
    <message>
        <location filename="../../desk_app/gui/daily_run_dialog.py" line="+56"/>
        <location line="+32"/>
        <source>Daily notices run</source>
        <translation>Daglig rykkerkørsel</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Making today&apos;s notices (recalls, reminders, suspensions)…</source>
        <translation>Dagens meddelelser dannes (hjemkaldelser, rykkere, suspensioner)…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Connecting to the mail server…</source>
        <translation>Forbinder til mailserveren…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sending e-mail: {done} of {total}</source>
        <translation>Sender e-mail: {done} af {total}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Close</source>
        <translation>Luk</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The daily notices run stopped: {problem}. What it stored is kept; what is missing is done by the next run.</source>
        <translation>Den daglige rykkerkørsel stoppede: {problem}. Det, den nåede at gemme, bevares; resten klares af næste kørsel.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Today&apos;s notices: {notices} to {borrowers} borrower(s); e-mail {sent} sent, {waiting} waiting; {letters} letter(s) to print.</source>
        <translation>Dagens meddelelser: {notices} til {borrowers} låner(e); e-mail {sent} sendt, {waiting} venter; {letters} brev(e) til udskrift.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>E-mail is not set up (Settings → Notices and e-mail): the messages wait, and are printed as letters a day after their run.</source>
        <translation>E-mail er ikke sat op (Indstillinger → Rykkere og e-mail): meddelelserne venter og udskrives som breve et døgn efter kørslen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>E-mail could not be sent: the mail server did not answer.</source>
        <translation>E-mail kunne ikke sendes: mailserveren svarede ikke.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E-mail could not be sent: the mail server refused the login (user name and password in Settings → Notices and e-mail).</source>
        <translation>E-mail kunne ikke sendes: mailserveren afviste login (brugernavn og adgangskode i Indstillinger → Rykkere og e-mail).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>E-mail could not be sent: the mail server kept hanging up.</source>
        <translation>E-mail kunne ikke sendes: mailserveren afbrød forbindelsen igen og igen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{waiting} message(s) wait for the next run; a message not sent {hours} hours after its run is printed as a letter instead (Ctrl+L).</source>
        <translation>{waiting} meddelelse(r) venter på næste kørsel; en meddelelse, der ikke er sendt {hours} timer efter kørslen, udskrives i stedet som brev (Ctrl+L).</translation>
    </message>
</context>
<context>
    <name>DeskApp</name>
    <message>
        <location filename="../../desk_app/gui/app.py" line="+45"/>
        <source>The desk cannot start</source>
        <translation>Skranken kan ikke starte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The desk cannot start:

{problem}</source>
        <translation>Skranken kan ikke starte:

{problem}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Empty database</source>
        <translation>Tom database</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The database holds no borrowers or items yet.

Load demo data (2,000 borrowers, 20,000 items, loans at every notice step, and four staff logins) to try the desk?</source>
        <translation>Databasen indeholder endnu ingen lånere eller eksemplarer.

Vil du indlæse demodata (2.000 lånere, 20.000 eksemplarer, lån på alle rykkertrin og fire personalelogins) for at prøve skranken?</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{name} ({role}): PIN {pin}, staff card {card}</source>
        <translation>{name} ({role}): pinkode {pin}, personalekort {card}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>card {card}, then item {item}: {what}</source>
        <translation>kort {card}, derefter eksemplar {item}: {what}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Demo data loaded</source>
        <translation>Demodata indlæst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign in with one of these logins:

{logins}

Then try these scans (type them and press Enter):

{tries}</source>
        <translation>Log ind med et af disse logins:

{logins}

Prøv derefter disse scanninger (skriv dem, og tryk Enter):

{tries}</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>The database cannot be opened</source>
        <translation>Databasen kan ikke åbnes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The desk could not open its database:
{db}

{problem}

Check the database URL (DESK_APP_DATABASE_URL or the settings) and that the server is running.</source>
        <translation>Skranken kunne ikke åbne sin database:
{db}

{problem}

Kontrollér databasens URL (DESK_APP_DATABASE_URL eller indstillingerne), og at serveren kører.</translation>
    </message>
</context>
<context>
    <name>DeskForm</name>
    <message>
        <location filename="../../ui/desk_window.ui" line="+16"/>
        <source>CHECK OUT</source>
        <translation>UDLÅN</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>F2  Check out</source>
        <translation>F2  Udlån</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>F3  Check in</source>
        <translation>F3  Aflevering</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>F4  Renew</source>
        <translation>F4  Fornyelse</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Scan:</source>
        <translation>Scan:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Esc  Next borrower</source>
        <translation>Esc  Næste låner</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ready</source>
        <translation>Klar</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Scan the borrower&apos;s card, then the items.</source>
        <translation>Scan lånerens kort, derefter materialerne.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>F8  Supervisor override…</source>
        <translation>F8  Overstyring ved leder…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Not done for this borrower:</source>
        <translation>Ikke udført for denne låner:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>F12  Seen: clear this list</source>
        <translation>F12  Set: ryd listen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>This shift</source>
        <translation>Denne vagt</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Time</source>
        <translation>Tid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Handling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scanned</source>
        <translation>Scannet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Borrower</source>
        <translation>Låner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Resultat</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>F9  Undo last checkout</source>
        <translation>F9  Fortryd seneste udlån</translation>
    </message>
</context>
<context>
    <name>DeskWindow</name>
    <message>
        <location filename="../../desk_app/gui/desk_window.py" line="+96"/>
        <source>Circulation desk: {desk}</source>
        <translation>Udlånsskranke: {desk}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Scan a card or an item, or type and press Enter</source>
        <translation>Scan et kort eller et eksemplar, eller skriv og tryk Enter</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Signed in: {staff} ({role})  ·  Desk: {desk}  ·  Database: {db}</source>
        <translation>Logget ind: {staff} ({role})  ·  Skranke: {desk}  ·  Database: {db}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>&amp;Desk</source>
        <translation>&amp;Skranke</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Check out</source>
        <translation>Udlån</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check in</source>
        <translation>Aflevering</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew</source>
        <translation>Fornyelse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next borrower</source>
        <translation>Næste låner</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear the list of refused scans</source>
        <translation>Ryd listen over afviste scanninger</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Supervisor override…</source>
        <translation>Overstyring ved leder…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo last checkout</source>
        <translation>Fortryd seneste udlån</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print the last checkout&apos;s slip</source>
        <translation>Udskriv seddel til seneste udlån</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the last checkout&apos;s slip as PDF…</source>
        <translation>Gem seddel til seneste udlån som PDF…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Print today&apos;s notice letters for borrowers without e-mail…</source>
        <translation>Udskriv dagens rykkerbreve til lånere uden e-mail…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save all of today&apos;s notice letters as PDF…</source>
        <translation>Gem alle dagens rykkerbreve som PDF…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Find a borrower…</source>
        <translation>Find en låner…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find an item…</source>
        <translation>Find et eksemplar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick list…</source>
        <translation>Plukliste…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew all loans</source>
        <translation>Forny alle lån</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print the borrower&apos;s receipt</source>
        <translation>Udskriv lånerens kvittering</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>E-mail the borrower&apos;s receipt</source>
        <translation>Send lånerens kvittering som e-mail</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Order cycle</source>
        <translation>Bestillinger</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Courier dispatch…</source>
        <translation>Kurerudsendelse…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supervision…</source>
        <translation>Tilsyn…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings…</source>
        <translation>Indstillinger…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out</source>
        <translation>Log ud</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>Afslut</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>CHECK OUT</source>
        <translation>UDLÅN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CHECK IN</source>
        <translation>AFLEVERING</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RENEW</source>
        <translation>FORNYELSE</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not for this role</source>
        <translation>Ikke tilladt for denne rolle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A {role} login may not {mode}.</source>
        <translation>Et login med rollen {role} giver ikke adgang til {mode}.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Not done for this borrower ({count}): Esc for the next borrower</source>
        <translation>Ikke udført for denne låner ({count}): Esc for næste låner</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Scan {read} kept: it is scanned here when the dialog closes.</source>
        <translation>Scanningen {read} er gemt: den scannes her, når dialogen lukkes.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Not done: the database did not answer</source>
        <translation>Ikke udført: databasen svarede ikke</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing was printed or saved. Try again in a moment; if this goes on, call the system administrator.</source>
        <translation>Intet blev udskrevet eller gemt. Prøv igen om et øjeblik; fortsætter det, så ring til systemadministratoren.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Most likely nothing was saved. Scan again in a moment: the desk then says whether it was done. If this goes on, call the system administrator.</source>
        <translation>Sandsynligvis blev intet gemt. Scan igen om lidt: skranken siger så, om det blev gjort. Fortsætter det, så ring til systemadministratoren.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>A supervisor authorises it here with staff card or name and PIN.</source>
        <translation>En leder godkender det her med personalekort eller navn og pinkode.</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Only a supervisor may override a refusal, and none can be asked here.</source>
        <translation>Kun en leder kan tilsidesætte en afvisning, og her er ingen at spørge.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Not done: the database did not answer. Nothing was lent.</source>
        <translation>Ikke udført: databasen svarede ikke. Intet blev udlånt.</translation>
    </message>
    <message>
        <location line="+208"/>
        <source>Renewing the loans</source>
        <translation>Fornyer lånene</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Receipt</source>
        <translation>Kvittering</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Making the receipt</source>
        <translation>Laver kvitteringen</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Sending the receipt</source>
        <translation>Sender kvitteringen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No borrower at the desk: scan a card first.</source>
        <translation>Ingen låner ved skranken: scan et kort først.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Making today&apos;s notice letters</source>
        <translation>Danner dagens rykkerbreve</translation>
    </message>
    <message>
        <location line="-362"/>
        <source>Order a digital copy</source>
        <translation>Bestil en digital kopi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order by ILL</source>
        <translation>Bestil som indlån</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order to Reading Room West</source>
        <translation>Bestil til Læsesal Vest</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Override refused</source>
        <translation>Overstyring afvist</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>No checkout in this shift yet: no slip to print.</source>
        <translation>Intet udlån i denne vagt endnu: ingen seddel at udskrive.</translation>
    </message>
    <message>
        <location line="+269"/>
        <source>No letters to print today: every notice went by e-mail.</source>
        <translation>Ingen breve at udskrive i dag: alle meddelelser er sendt med e-mail.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today&apos;s notices run made no letters.</source>
        <translation>Dagens rykkerkørsel dannede ingen breve.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Notice letters {day}</source>
        <translation>Rykkerbreve {day}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{count} letter(s): {result}</source>
        <translation>{count} brev(e): {result}</translation>
    </message>
    <message>
        <location line="-266"/>
        <location line="+13"/>
        <source>The slip could not be made; see the log.</source>
        <translation>Sedlen kunne ikke laves; se loggen.</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+40"/>
        <source>Making the slip</source>
        <translation>Laver sedlen</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Slip {item}</source>
        <translation>Seddel {item}</translation>
    </message>
</context>
<context>
    <name>DispatchForm</name>
    <message>
        <location filename="../../ui/dispatch_window.ui" line="+15"/>
        <source>Route</source>
        <translation>Rute</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Dato</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>F5  Refresh</source>
        <translation>F5  Opdatér</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Manifest preview</source>
        <translation>Forhåndsvisning af manifest</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Scan each item as it goes into the crate</source>
        <translation>Scan hvert eksemplar, når det lægges i kassen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Still to load</source>
        <translation>Mangler at blive læsset</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+13"/>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+13"/>
        <source>Item</source>
        <translation>Eksemplar</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+13"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Loaded</source>
        <translation>Læsset</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Ctrl+P  Print manifest</source>
        <translation>Ctrl+P  Udskriv manifest</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ctrl+S  Save as PDF…</source>
        <translation>Ctrl+S  Gem som PDF…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Announce a return…</source>
        <translation>Meld en aflevering…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>F10  Mark dispatched</source>
        <translation>F10  Markér som afsendt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>F11  Confirm delivered</source>
        <translation>F11  Bekræft levering</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close</source>
        <translation>Luk</translation>
    </message>
</context>
<context>
    <name>DispatchWindow</name>
    <message>
        <location filename="../../desk_app/gui/dispatch_window.py" line="+101"/>
        <source>Courier dispatch: {desk}</source>
        <translation>Kurerudsendelse: {desk}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scan the item&apos;s barcode or its slip</source>
        <translation>Scan eksemplarets stregkode eller sedlen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Pick the route and the day</source>
        <translation>Vælg rute og dag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Then scan each item as it goes into the crate.</source>
        <translation>Scan derefter hvert eksemplar, når det lægges i kassen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>  (internal courier)</source>
        <translation>  (intern kurer)</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>The manifest could not be drawn; see the log.</source>
        <translation>Manifestet kunne ikke tegnes; se loggen.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Left with {n} item(s)</source>
        <translation>Kørt med {n} eksemplar(er)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loaded {loaded} of {total}</source>
        <translation>Læsset {loaded} af {total}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Delivered {time}</source>
        <translation>Leveret {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dispatched {time}, in transit</source>
        <translation>Afsendt {time}, undervejs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not dispatched</source>
        <translation>Ikke afsendt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{state}  ·  {stops} stop(s), deliver {deliver}, collect {collect}</source>
        <translation>{state}  ·  {stops} stop, aflever {deliver}, hent {collect}</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>{missing} item(s) on the manifest were not scanned into the crate. They stay at the desk for the next run. Mark route {route} dispatched?</source>
        <translation>{missing} eksemplar(er) på manifestet er ikke scannet i kassen. De bliver ved skranken til næste tur. Markér rute {route} som afsendt?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Items not loaded</source>
        <translation>Eksemplarer ikke læsset</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Announce a return</source>
        <translation>Meld en aflevering</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Item barcode of the loan the institute wants collected:</source>
        <translation>Stregkode på det lån, instituttet vil have hentet:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Manifest {route} {day}</source>
        <translation>Manifest {route} {day}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Scan {read} kept: it is scanned here when the dialog closes.</source>
        <translation>Scanningen {read} er gemt: den scannes her, når dialogen lukkes.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Scan not loaded</source>
        <translation>Scanningen blev ikke læsset</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{read} was scanned while a dialog was open, and this route takes no more items: it was not loaded.</source>
        <translation>{read} blev scannet, mens en dialog var åben, og ruten tager ikke flere eksemplarer: det blev ikke læsset.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Not done: the database did not answer</source>
        <translation>Ikke udført: databasen svarede ikke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing was saved. Try again in a moment.</source>
        <translation>Intet blev gemt. Prøv igen om et øjeblik.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Loaded by {staff}, {desk}, {time}</source>
        <translation>Læsset af {staff}, {desk}, {time}</translation>
    </message>
</context>
<context>
    <name>DocumentPrinter</name>
    <message>
        <location filename="../../desk_app/gui/printer.py" line="+98"/>
        <source>Save as PDF</source>
        <translation>Gem som PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-dokumenter (*.pdf)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Printer {0} is not installed here: {1} was not printed.</source>
        <translation>Printeren {0} er ikke installeret her: {1} blev ikke udskrevet.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No printer is set in the settings: {0} was not printed.</source>
        <translation>Der er ikke valgt en printer i indstillingerne: {0} blev ikke udskrevet.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Printing cancelled.</source>
        <translation>Udskrivning annulleret.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{0} was not printed: {1}</source>
        <translation>{0} blev ikke udskrevet: {1}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{0} sent to {1} ({2} page(s)).</source>
        <translation>{0} sendt til {1} ({2} side(r)).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not saved.</source>
        <translation>Ikke gemt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not save {0}: {1}</source>
        <translation>Kunne ikke gemme {0}: {1}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved {0}.</source>
        <translation>Gemt {0}.</translation>
    </message>
</context>
<context>
    <name>FindBorrowerDialog</name>
    <message>
        <location filename="../../desk_app/gui/find_borrower.py" line="+144"/>
        <source>Find a borrower</source>
        <translation>Find en låner</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name, card number or institute:</source>
        <translation>Navn, kortnummer eller institut:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card</source>
        <translation>Kort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Institute</source>
        <translation>Institut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Take to the desk</source>
        <translation>Tag til skranken</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Searching</source>
        <translation>Søger</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Type at least {n} letters of a name, a card number or an institute.</source>
        <translation>Skriv mindst {n} tegn af et navn, et kortnummer eller et institut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type a name, a card number or an institute.</source>
        <translation>Skriv et navn, et kortnummer eller et institut.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Nothing found for “{text}”.</source>
        <translation>Intet fundet for “{text}”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The first {count} found: type more to narrow the search.</source>
        <translation>De første {count} fundne: skriv mere for at indsnævre søgningen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} found. Up and Down to choose, Enter to take.</source>
        <translation>{count} fundet. Op og Ned for at vælge, Enter for at tage.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Suspended</source>
        <translation>Suspenderet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Card expired</source>
        <translation>Kortet er udløbet</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Lending to this borrower will be refused until this is put right.</source>
        <translation>Udlån til denne låner bliver afvist, indtil det er bragt i orden.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Not done: the database did not answer. Try again.</source>
        <translation>Ikke udført: databasen svarede ikke. Prøv igen.</translation>
    </message>
</context>
<context>
    <name>ItemDialog</name>
    <message>
        <location filename="../../desk_app/gui/item_view.py" line="+140"/>
        <source>Find an item</source>
        <translation>Find et eksemplar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Barcode, title words or call number:</source>
        <translation>Stregkode, ord fra titlen eller opstillingssignatur:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Call number</source>
        <translation>Opstilling</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Barcode</source>
        <translation>Stregkode</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where</source>
        <translation>Hvor</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Cancel request</source>
        <translation>Annullér reservering</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reprint slip</source>
        <translation>Udskriv seddel igen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Loan history (supervisors only)</source>
        <translation>Udlånshistorik (kun for ledere)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lent</source>
        <translation>Udlånt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ended</source>
        <translation>Afsluttet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Borrower</source>
        <translation>Låner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>How it ended</source>
        <translation>Hvordan det sluttede</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Searching</source>
        <translation>Søger</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reading the item</source>
        <translation>Læser eksemplaret</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Type at least {n} letters of a title, a call number or a barcode.</source>
        <translation>Skriv mindst {n} tegn af en titel, en opstillingssignatur eller en stregkode.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scan or type a barcode, or type title words or a call number.</source>
        <translation>Scan eller skriv en stregkode, eller skriv ord fra titlen eller en opstillingssignatur.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Nothing found for “{text}”.</source>
        <translation>Intet fundet for “{text}”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The first {count} found: type more to narrow the search.</source>
        <translation>De første {count} fundne: skriv mere for at indsnævre søgningen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{count} found. Up and Down to choose.</source>
        <translation>{count} fundet. Op og Ned for at vælge.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>On the shelf</source>
        <translation>På hylden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick list</source>
        <translation>Plukliste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On loan</source>
        <translation>Udlånt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In transit</source>
        <translation>Undervejs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pickup shelf</source>
        <translation>Afhentningshylde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation>Bortkommet</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Find the item on the left.</source>
        <translation>Find eksemplaret til venstre.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Barcode {barcode}</source>
        <translation>Stregkode {barcode}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Call number {call_number}</source>
        <translation>Opstilling {call_number}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Lent to {name}, {institute}, on {day}.</source>
        <translation>Udlånt til {name}, {institute}, den {day}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lent to a borrower at {institute} on {day}.</source>
        <translation>Udlånt til en låner ved {institute} den {day}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Next in the queue: {name}.</source>
        <translation>Næste i køen: {name}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name} is number {position} of {count} in the queue.</source>
        <translation>{name} er nummer {position} af {count} i køen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>returned</source>
        <translation>afleveret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>declared lost</source>
        <translation>meldt bortkommet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>found on the shelf</source>
        <translation>fundet på hylden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checkout undone</source>
        <translation>udlån fortrudt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on loan</source>
        <translation>udlånt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No earlier loans.</source>
        <translation>Ingen tidligere udlån.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Reading the borrower</source>
        <translation>Læser låneren</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Request (no borrower at the desk)</source>
        <translation>Reservér (ingen låner i skranken)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan the borrower&apos;s card at the desk first.</source>
        <translation>Scan først lånerens kort i skranken.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Request for {name}</source>
        <translation>Reservér til {name}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Placing the request</source>
        <translation>Reserverer</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelling the request</source>
        <translation>Annullerer reserveringen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The slip of {item} goes to the desk&apos;s printer.</source>
        <translation>Sedlen til {item} sendes til skrankens printer.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Not done: the database did not answer. Try again.</source>
        <translation>Ikke udført: databasen svarede ikke. Prøv igen.</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../desk_app/gui/operations.py" line="+295"/>
        <source>{what}…</source>
        <translation>{what}…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} scan(s) wait: they are done when it is over.</source>
        <translation>{count} scanning(er) venter: de udføres, når det er overstået.</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../desk_app/gui/override_dialog.py" line="+47"/>
        <source>Supervisor override</source>
        <translation>Overstyring ved leder</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Lend anyway</source>
        <translation>Udlån alligevel</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{name} may not authorise an override: a supervisor&apos;s card is needed.</source>
        <translation>{name} må ikke godkende en tilsidesættelse: der skal bruges en leders kort.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Staff card: {name}. Now the PIN.</source>
        <translation>Personalekort: {name}. Nu pinkoden.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scan {read} was not typed here: it is scanned at the desk when this closes.</source>
        <translation>Scanningen {read} blev ikke skrevet her: den scannes ved skranken, når dette vindue lukkes.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Give a reason: it is kept in the audit trail.</source>
        <translation>Angiv en begrundelse: den gemmes i revisionssporet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A barcode is no reason: say in words why the refusal is set aside.</source>
        <translation>En stregkode er ingen begrundelse: skriv med ord, hvorfor afvisningen tilsidesættes.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scan the supervisor&apos;s staff card or pick the name.</source>
        <translation>Scan lederens personalekort, eller vælg navnet.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The supervisor types the PIN.</source>
        <translation>Lederen skriver pinkoden.</translation>
    </message>
</context>
<context>
    <name>OverrideForm</name>
    <message>
        <location filename="../../ui/override_dialog.ui" line="+15"/>
        <source>Supervisor</source>
        <translation>Leder</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A supervisor authorises this here, at this login: scan the staff card or pick the name, then type the PIN.</source>
        <translation>En leder godkender det her, på dette login: scan personalekortet eller vælg navnet, og skriv så pinkoden.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PIN</source>
        <translation>Pinkode</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Reason for lending despite the refusal (required, kept in the audit trail):</source>
        <translation>Begrundelse for udlån trods afvisningen (skal udfyldes, gemmes i revisionssporet):</translation>
    </message>
</context>
<context>
    <name>PickListWindow</name>
    <message>
        <location filename="../../desk_app/gui/pick_list_window.py" line="+101"/>
        <source>In shelf order, each for its first requester. Scan a fetched item at the desk: it is lent to the requester and its slip prints.</source>
        <translation>I opstillingsorden, hvert for den første, der har reserveret det. Scan et hentet eksemplar i skranken: det lånes ud til låneren, og sedlen udskrives.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Call number</source>
        <translation>Opstilling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Barcode</source>
        <translation>Stregkode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requester</source>
        <translation>Reserveret af</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Institute</source>
        <translation>Institut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where it goes</source>
        <translation>Hvor det skal hen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting</source>
        <translation>Venter</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Nothing to fetch</source>
        <translation>Intet at hente</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Refresh (F5)</source>
        <translation>Opdatér (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print (Ctrl+P)</source>
        <translation>Udskriv (Ctrl+P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save PDF…</source>
        <translation>Gem PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Luk</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Reading the pick list</source>
        <translation>Læser plukkelisten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Busy: try again in a moment.</source>
        <translation>Optaget: prøv igen om lidt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Read at {time}.</source>
        <translation>Læst kl. {time}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Pick list</source>
        <translation>Plukliste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick list: {count} item(s) to fetch</source>
        <translation>Plukliste: {count} eksemplar(er) at hente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick list: nothing to fetch</source>
        <translation>Plukliste: intet at hente</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{count} since {date}</source>
        <translation>{count} siden {date}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Pickup shelf</source>
        <translation>Afhentningshylde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading room</source>
        <translation>Læsesal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Internal courier</source>
        <translation>Internt bud</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Route {route}</source>
        <translation>Rute {route}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Courier</source>
        <translation>Kurer</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Making the pick list</source>
        <translation>Laver plukkelisten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The pick list could not be made; see the log.</source>
        <translation>Plukkelisten kunne ikke laves; se loggen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Pick list {day}</source>
        <translation>Plukliste {day}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Not done: the database did not answer. Try again in a moment.</source>
        <translation>Ikke udført: databasen svarede ikke. Prøv igen om lidt.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../desk_app/gui/formatting.py" line="+28"/>
        <source>desk</source>
        <translation>skranke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>courier</source>
        <translation>bud</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>supervisor</source>
        <translation>leder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desk_app/gui/settings_dialog.py" line="+50"/>
        <source>Desk settings</source>
        <translation>Skrankens indstillinger</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dansk</source>
        <translation>Dansk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ask each time (print dialog)</source>
        <translation>Spørg hver gang (udskriftsdialog)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A6 label</source>
        <translation>A6-etiket</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>80 mm receipt roll</source>
        <translation>80 mm bonrulle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A4 sheet</source>
        <translation>A4-ark</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>STARTTLS (usually port 587)</source>
        <translation>STARTTLS (normalt port 587)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS from the start (usually port 465)</source>
        <translation>TLS fra start (normalt port 465)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None (only on a trusted network)</source>
        <translation>Ingen (kun på et betroet netværk)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No credential store on this computer: use DESK_APP_SMTP_PASSWORD</source>
        <translation>Intet nøglelager på denne computer: brug DESK_APP_SMTP_PASSWORD</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This computer has no system credential store (keyring), so the desk cannot keep the mail server&apos;s password: set the environment variable DESK_APP_SMTP_PASSWORD for the desk instead. Each run e-mails one message per borrower; what cannot be sent waits for the next run.</source>
        <translation>Denne computer har intet systemnøglelager (keyring), så skranken kan ikke gemme mailserverens adgangskode: sæt i stedet miljøvariablen DESK_APP_SMTP_PASSWORD for skranken. Hver kørsel sender én e-mail pr. låner; det, der ikke kan sendes, venter til næste kørsel.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Stored: type a new one to change it</source>
        <translation>Gemt: skriv en ny for at ændre den</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in the system&apos;s credential store</source>
        <translation>Gemmes i systemets nøglelager</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The password is kept in the system&apos;s credential store, never in the settings file; without one there, the environment variable DESK_APP_SMTP_PASSWORD is used. Each run e-mails one message per borrower; what cannot be sent waits for the next run.</source>
        <translation>Adgangskoden gemmes i systemets nøglelager, aldrig i indstillingsfilen; findes der ingen dér, bruges miljøvariablen DESK_APP_SMTP_PASSWORD. Hver kørsel sender én e-mail pr. låner; det, der ikke kan sendes, venter til næste kørsel.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fill in the mail server and the sender address first.</source>
        <translation>Udfyld først mailserver og afsenderadresse.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The mail server {server} did not accept the connection: {problem}</source>
        <translation>Mailserveren {server} tog ikke imod forbindelsen: {problem}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Connected to {server}: the settings work.</source>
        <translation>Forbundet til {server}: indstillingerne virker.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The desk needs a name (it is on every loan).</source>
        <translation>Skranken skal have et navn (det står på hvert lån).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>E-mail needs a sender address, such as udlaan@kb.dk.</source>
        <translation>E-mail kræver en afsenderadresse, fx udlaan@kb.dk.</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="+10"/>
        <source>Desk</source>
        <translation>Skranke</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Database URL</source>
        <translation>Databasens URL</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Empty: the SQLite file in the data folder</source>
        <translation>Tom: SQLite-filen i datamappen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Desk (service point)</source>
        <translation>Skranke (betjeningssted)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Language</source>
        <translation>Sprog</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Scanner prefix</source>
        <translation>Scannerpræfiks</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Characters the scanner sends before each code</source>
        <translation>Tegn, som scanneren sender før hver kode</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scanner suffix</source>
        <translation>Scannersuffiks</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Characters the scanner sends after each code</source>
        <translation>Tegn, som scanneren sender efter hver kode</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sounds</source>
        <translation>Lyde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Play a sound for each verdict</source>
        <translation>Afspil en lyd ved hvert resultat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Slip size</source>
        <translation>Seddelformat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Manifest size</source>
        <translation>Manifestformat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Transport slip</source>
        <translation>Transportseddel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Print the slip at every checkout</source>
        <translation>Udskriv sedlen ved hvert udlån</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Notices and e-mail</source>
        <translation>Rykkere og e-mail</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Library (signs the letters)</source>
        <translation>Bibliotek (underskriver brevene)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Letters and e-mail in</source>
        <translation>Breve og e-mail på</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mail server (SMTP)</source>
        <translation>Mailserver (SMTP)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Empty: no e-mail, every notice is printed</source>
        <translation>Tom: ingen e-mail, alle meddelelser udskrives</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Security</source>
        <translation>Sikkerhed</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>User name</source>
        <translation>Brugernavn</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Empty: the server needs no login</source>
        <translation>Tom: serveren kræver ingen login</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Password</source>
        <translation>Adgangskode</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sender address</source>
        <translation>Afsenderadresse</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Test the connection</source>
        <translation>Afprøv forbindelsen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The password may also come from the environment variable DESK_APP_SMTP_PASSWORD. Each run e-mails one message per borrower; what cannot be sent waits for the next run.</source>
        <translation>Adgangskoden kan også komme fra miljøvariablen DESK_APP_SMTP_PASSWORD. Hver kørsel sender én e-mail pr. låner; det, der ikke kan sendes, venter til næste kørsel.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A new database URL or language takes effect when the desk is started again.</source>
        <translation>En ny database-URL eller et nyt sprog træder i kraft, når skranken startes igen.</translation>
    </message>
</context>
<context>
    <name>SettleDialog</name>
    <message>
        <location filename="../../desk_app/gui/settle_dialog.py" line="+57"/>
        <source>Settle by contact</source>
        <translation>Afgør ved henvendelse</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} contacted the library about {item} “{title}”.</source>
        <translation>{name} har henvendt sig til biblioteket om {item} “{title}”.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>What did the borrower say? (required)</source>
        <translation>Hvad sagde låneren? (skal udfyldes)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Agreed return date</source>
        <translation>Aftalt afleveringsdato</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Settle</source>
        <translation>Afgør</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The case stops suspending the borrower now. If the item is still out after {date}, the next notices run suspends again (S5).</source>
        <translation>Sagen suspenderer ikke længere låneren. Er eksemplaret stadig udlånt efter {date}, suspenderer næste rykkerkørsel igen (S5).</translation>
    </message>
</context>
<context>
    <name>ShiftLog</name>
    <message>
        <location filename="../../desk_app/gui/shift_log.py" line="+23"/>
        <source>Card</source>
        <translation>Kort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check out</source>
        <translation>Udlån</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check in</source>
        <translation>Aflevering</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew</source>
        <translation>Fornyelse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Override</source>
        <translation>Overstyring</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo</source>
        <translation>Fortryd</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order</source>
        <translation>Bestilling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Misread</source>
        <translation>Fejllæsning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lent on (Q3)</source>
        <translation>Lånt videre (Q3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Picked (Q1)</source>
        <translation>Plukket (Q1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request</source>
        <translation>Reservering</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel request</source>
        <translation>Annullér reservering</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew all</source>
        <translation>Forny alle</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desk_app/gui/sign_in.py" line="+35"/>
        <source>Circulation desk: sign in</source>
        <translation>Udlånsskranke: log ind</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Desk: {desk}</source>
        <translation>Skranke: {desk}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in</source>
        <translation>Log ind</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Create the first administrator</source>
        <translation>Opret den første administrator</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This database has no staff yet. Choose a name and a PIN of 4 to 8 digits for the administrator, who can then add the others.</source>
        <translation>Databasen har endnu intet personale. Vælg et navn og en pinkode på 4 til 8 cifre til administratoren, som derefter kan oprette de andre.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Create</source>
        <translation>Opret</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This card is not a staff card: scan again or pick your name.</source>
        <translation>Kortet er ikke et personalekort: scan igen, eller vælg dit navn.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Scan your staff card or pick your name.</source>
        <translation>Scan dit personalekort, eller vælg dit navn.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The two PINs differ: type them again.</source>
        <translation>De to pinkoder er forskellige: skriv dem igen.</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <location filename="../../ui/sign_in.ui" line="+9"/>
        <source>Sign in to the desk</source>
        <translation>Log ind ved skranken</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Scan your staff card, or pick your name; then type your PIN.</source>
        <translation>Scan dit personalekort, eller vælg dit navn; skriv derefter din pinkode.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Staff card</source>
        <translation>Personalekort</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scan your staff card</source>
        <translation>Scan dit personalekort</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PIN</source>
        <translation>Pinkode</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>PIN again</source>
        <translation>Pinkode igen</translation>
    </message>
</context>
<context>
    <name>SupervisorForm</name>
    <message>
        <location filename="../../ui/supervisor_window.ui" line="+16"/>
        <source>Borrower</source>
        <translation>Låner</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Find a borrower by name, card or institute</source>
        <translation>Find en låner efter navn, kort eller institut</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name, card number or institute</source>
        <translation>Navn, kortnummer eller institut</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Find</source>
        <translation>Find</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card</source>
        <translation>Kort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Institute</source>
        <translation>Institut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Open loans and the notices sent for each</source>
        <translation>Aktive lån og de meddelelser, der er sendt for hvert</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+76"/>
        <source>Item</source>
        <translation>Eksemplar</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Step</source>
        <translation>Trin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent / due</source>
        <translation>Sendt / forfald</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deadline</source>
        <translation>Frist</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title / note</source>
        <translation>Titel / note</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Settle by contact…</source>
        <translation>Afgør ved henvendelse…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>What if nothing comes back?</source>
        <translation>Hvad hvis intet kommer tilbage?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Project the daily runs up to</source>
        <translation>Fremskriv de daglige kørsler til og med</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Audit trail (newest first)</source>
        <translation>Revisionsspor (nyeste først)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Time</source>
        <translation>Tid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff</source>
        <translation>Medarbejder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desk</source>
        <translation>Skranke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Handling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Udfald</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detail</source>
        <translation>Detaljer</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>All suspended</source>
        <translation>Alle suspenderede</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export CSV…</source>
        <translation>Eksportér CSV…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Double-click a borrower to open their cases. Click a column heading to sort.</source>
        <translation>Dobbeltklik på en låner for at åbne lånerens sager. Klik på en kolonneoverskrift for at sortere.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>F5  Refresh</source>
        <translation>F5  Opdatér</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close</source>
        <translation>Luk</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../desk_app/gui/supervisor_text.py" line="+27"/>
        <source>SUSPENDED since {date} (S2) because of: {items}</source>
        <translation>SUSPENDERET siden {date} (S2) på grund af: {items}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settled by contact: item(s) back by {date} (S5)</source>
        <translation>Afgjort ved henvendelse: afleveres senest {date} (S5)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not suspended</source>
        <translation>Ikke suspenderet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Already suspended (S2): stays so until the item(s) come back or the case is settled.</source>
        <translation>Allerede suspenderet (S2): forbliver det, til eksemplarerne kommer tilbage, eller sagen afgøres.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>If nothing comes back: suspended on {date}.</source>
        <translation>Hvis intet kommer tilbage: suspenderet den {date}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>If nothing comes back: not suspended by {date}.</source>
        <translation>Hvis intet kommer tilbage: ikke suspenderet pr. {date}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No notice falls due up to {date}.</source>
        <translation>Ingen meddelelse forfalder til og med {date}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{date}: {step} for {item}, return by {deadline}</source>
        <translation>{date}: {step} for {item}, afleveres senest {deadline}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{date}: {step} for {item}</source>
        <translation>{date}: {step} for {item}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>… and {count} more notice(s)</source>
        <translation>… og {count} meddelelse(r) mere</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Check out</source>
        <translation>Udlån</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check out (override)</source>
        <translation>Udlån (overstyring)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check in</source>
        <translation>Aflevering</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew</source>
        <translation>Fornyelse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request</source>
        <translation>Reservering</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../desk_app/gui/supervisor_window.py" line="+427"/>
        <source>Settled by contact</source>
        <translation>Afgjort ved henvendelse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Declared lost</source>
        <translation>Meldt bortkommet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Found on the shelf</source>
        <translation>Fundet på hylden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card reported lost</source>
        <translation>Kort meldt bortkommet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ILL received</source>
        <translation>Fjernlån modtaget</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alternative ordered</source>
        <translation>Alternativ bestilt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkout undone</source>
        <translation>Udlån fortrudt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return announced</source>
        <translation>Aflevering varslet</translation>
    </message>
    <message>
        <location filename="../../desk_app/gui/supervisor_window.py" line="-330"/>
        <source>Export the suspended borrowers</source>
        <translation>Eksportér de suspenderede lånere</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Supervision: {desk}</source>
        <translation>Tilsyn: {desk}</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card</source>
        <translation>Kort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Institute</source>
        <translation>Institut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suspended since</source>
        <translation>Suspenderet siden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loans</source>
        <translation>Lån</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Oldest due</source>
        <translation>Ældste forfald</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>SUSPENDED</source>
        <translation>SUSPENDERET</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>settled</source>
        <translation>afgjort</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No borrower matches “{text}”.</source>
        <translation>Ingen låner passer til “{text}”.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The first {count} matches: type more to narrow the search.</source>
        <translation>De første {count} træffere: skriv mere for at indsnævre søgningen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} match(es)</source>
        <translation>{count} træffer(e)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Only the first words of the search were used.</source>
        <translation>Kun de første ord i søgningen blev brugt.</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Find a borrower on the left.</source>
        <translation>Find en låner til venstre.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Card {card}  ·  {institute_name} ({institute})  ·  {count} open loan(s)</source>
        <translation>Kort {card}  ·  {institute_name} ({institute})  ·  {count} aktive lån</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>e-mailed {date}</source>
        <translation>e-mailet {date}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e-mail waiting for the mail server</source>
        <translation>e-mail venter på mailserveren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e-mail being sent</source>
        <translation>e-mail sendes nu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>address refused: sent as a printed letter</source>
        <translation>adressen afvist: sendes som trykt brev</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>printed letter (no e-mail address)</source>
        <translation>trykt brev (ingen e-mailadresse)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>connection lost while e-mailing: sent as a printed letter</source>
        <translation>forbindelsen blev afbrudt under afsendelsen: sendt som brev</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e-mail not sent within {hours} hours: sent as a printed letter</source>
        <translation>e-mail ikke sendt inden for {hours} timer: sendt som brev</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replaced by a newer notice: not sent</source>
        <translation>erstattet af en nyere meddelelse: ikke sendt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>on loan</source>
        <translation>udlånt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>private loan</source>
        <translation>privat lån</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>due {date}</source>
        <translation>forfald {date}</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>{step}, settled</source>
        <translation>{step}, afgjort</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Only a supervisor may settle a case by contact (S5).</source>
        <translation>Kun en supervisor må afgøre en sag ved henvendelse (S5).</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+10"/>
        <source>Select the suspension case the borrower called about.</source>
        <translation>Vælg den suspensionssag, låneren henvendte sig om.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>{count} suspended borrower(s) today (S2)</source>
        <translation>{count} suspenderede lånere i dag (S2)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Exported {count} suspended borrower(s) to {path}.</source>
        <translation>{count} suspenderede lånere eksporteret til {path}.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Scan {read} kept: it is searched for when the dialog closes.</source>
        <translation>Scanningen {read} er gemt: der søges efter den, når dialogen lukkes.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Not done: the database did not answer. Nothing was saved.</source>
        <translation>Ikke udført: databasen svarede ikke. Intet blev gemt.</translation>
    </message>
</context>
</TS>
