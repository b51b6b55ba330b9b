# Gemensamt för alla sidor: navigering, fel, datum.
skip-to-content = Hoppa till innehållet
nav-main = Huvudmeny
nav-claims = Kundassociationer
nav-new-claim = Ny kundassociation
nav-keys = Kontroll av associationsnycklar
nav-organisation = Organisation
nav-language = Språk
sign-out = Logga ut
footer-times = Tider visas i tidszonen { $zone }.
back-home = Tillbaka till startsidan

datetime = { $day } { $month } { $year } kl. { $time } ({ $zone })
date = { $day } { $month } { $year }
month-1 = januari
month-2 = februari
month-3 = mars
month-4 = april
month-5 = maj
month-6 = juni
month-7 = juli
month-8 = augusti
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december

role-global_admin = Global administratör
role-incentives_admin = Incitamentsadministratör
role-incentives_user = Incitamentsanvändare
role-billing_admin = Faktureringsadministratör
role-reviewer = Granskare
role-support_agent = Supportagent
role-program_admin = Programadministratör

page-not-found-heading = Sidan hittades inte
page-not-found-text = Det finns inget här, eller så har du inte behörighet att se det.
page-forbidden-heading = Inte tillåtet
page-forbidden-text = Din roll tillåter inte detta.
page-bad-form-heading = Formuläret kunde inte tas emot
page-bad-form-text = Formuläret har gått ut eller skickades från en annan webbplats. Gå tillbaka, läs in sidan igen och försök på nytt.
page-conflict-heading = Det går inte just nu
page-conflict-text = Anspråket har ändrats eller tillåter inte detta i sin nuvarande status. Gå tillbaka och läs in det igen.
page-unavailable-heading = Tillfälligt otillgänglig
page-unavailable-text = Tjänsten når inte sin databas. Försök igen om en stund.
page-failed-heading = Något gick fel
page-failed-text = Felet har loggats. Försök igen, eller kontakta din programoperatör om det händer igen.
