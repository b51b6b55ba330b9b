# Inloggning, lösenord, inbjudningar.
login-heading = Logga in på cpor
field-email = E-post
field-password = Lösenord
sign-in = Logga in
forgot-link = Har du glömt lösenordet?
login-failed = E-postadressen eller lösenordet är fel.
login-throttled = För många försök. Vänta några minuter och försök sedan igen.
notice-password-set = Ditt lösenord är angivet. Logga in med det.
notice-signed-out = Du är utloggad på alla enheter.
notice-reset-sent = Om ett konto använder den adressen har vi skickat en länk dit för att ange ett nytt lösenord. Länken fungerar en gång, i en timme.
forgot-heading = Ange ett nytt lösenord
forgot-text = Ange e-postadressen för ditt konto. Vi skickar en länk för att ange ett nytt lösenord.
forgot-send = Skicka länken
back-to-sign-in = Tillbaka till inloggningen
reset-heading = Ange ett nytt lösenord
invitation-heading = Välkommen till cpor: välj ditt lösenord
field-new-password = Nytt lösenord
field-confirm-password = Upprepa det nya lösenordet
password-rule = Minst { $min } tecken.
set-password = Spara lösenordet
password-too-short = Lösenordet är för kort.
password-too-long = Lösenordet är för långt.
password-mismatch = Lösenorden stämmer inte överens.
link-dead = Länken fungerar inte längre: den har redan använts eller har gått ut. Begär en ny.
mail-reset-subject = Ange ett nytt lösenord för cpor
mail-reset-body =
    Någon har begärt att ett nytt lösenord ska anges för ditt cpor-konto.

    Öppna den här länken för att välja det (den fungerar en gång, i en timme):
    { $link }

    Om det inte var du kan du bortse från det här e-postmeddelandet: ditt lösenord förblir oförändrat.
mail-invitation-subject = Ditt cpor-konto
mail-invitation-body =
    Ett konto har skapats åt dig i cpor, portalen för kundassociationer.

    Öppna den här länken för att välja ditt lösenord (den fungerar en gång, i 72 timmar):
    { $link }
