# E-mails about claims (src/mail/render.rs). Arguments most messages take: $claim (the
# claim's name), $domain (the customer's domain), $partner (the partner organisation).

mail-no-date = (inget datum angivet)
mail-product-subscription = { $product } (prenumeration { $subscription })
mail-claim-link = Ärende: { $link }
mail-reviewer-comment = Granskarens kommentar:
mail-support-comment = Supportens kommentar:
mail-footer = Det här meddelandet skickades av programoperatörens ärendetjänst (cpor).

mail-consent-request-subject = { $partner } vill bli erkänd som er partner för { $domain }
mail-consent-request-greeting = Hej { $customer },
mail-consent-request-intro = { $partner } har bett att bli erkänd som den partner som hjälpt { $domain } med:
mail-consent-request-data = Om ni godkänner behöver ni inte göra något. Från och med { $window_end } blir associationen officiell och { $partner } får se användnings- och licensdata för enbart dessa arbetsbelastningar och prenumerationer: ingen e-post, inga dokument och inget annat innehåll som tillhör er.
mail-consent-request-opt-out = Öppna länken nedan för att se detaljerna eller för att avanmäla er före { $window_end }:
mail-consent-request-no-link = (länken kommer i ett separat meddelande)
mail-consent-request-later = Ni kan också avanmäla er senare via samma länk; associationen upphör då.

mail-information-requested-subject = Åtgärd krävs för ert ärende ”{ $claim }”
mail-information-requested-body = Ert ärende ”{ $claim }” för { $domain } kräver en åtgärd från er.
mail-information-requested-reasons = Granskaren begär: { $reasons }.
mail-information-requested-deadline = Svara senast { $due }: lägg till det som saknas och skicka in ärendet igen. Utan svar före dess avvisas ärendet (inget svar från partnern).

mail-response-reminder-subject = Påminnelse: ert ärende ”{ $claim }” behöver svar senast { $due }
mail-response-reminder-body = Ert ärende ”{ $claim }” för { $domain } väntar fortfarande på ert svar.
mail-response-reminder-reasons = Granskaren begärde: { $reasons }.
mail-response-reminder-deadline = Skicka in det igen senast { $due }, annars avvisas det (inget svar från partnern).

mail-approved-subject = Ert ärende ”{ $claim }” är godkänt
mail-approved-body = Ert ärende ”{ $claim }” för { $domain } är godkänt.
mail-approved-window = Kunden har underrättats och kan avanmäla sig fram till { $window_end }. Därefter är associationen officiell och skickas för bedömning av rätt till incitament.

mail-rejected-subject = Ert ärende ”{ $claim }” är avvisat
mail-rejected-body = Ert ärende ”{ $claim }” för { $domain } är avvisat.
mail-rejected-reasons = Skäl: { $reasons }.
mail-rejected-dispute = Om ni anser att beslutet är fel kan ni bestrida avslaget inom { $days } dagar.

mail-superseded-subject = Er kundassociation ”{ $claim }” har upphört
mail-superseded-body = Er kundassociation ”{ $claim }” för { $domain } har upphört.
mail-superseded-why = En annan partner gjorde anspråk på samma arbetsbelastning eller prenumeration hos kunden, och efter att ha jämfört båda partnernas bevis på utförande godkände granskaren deras ärende.

mail-association-ended-subject = Kunden har avslutat er kundassociation ”{ $claim }”
mail-association-ended-body = Kunden { $domain } har avanmält sig från er kundassociation ”{ $claim }”.
mail-association-ended-done = Associationen har upphört.

mail-dispute-resolved-subject = Ert bestridande av ”{ $claim }” är avgjort
mail-dispute-resolved-body = Ert bestridande av ärendet ”{ $claim }” för { $domain } är avgjort: { $outcome }.
mail-partly-superseded-subject = En del av din association "{ $claim }" har gått över till en annan partner
mail-partly-superseded-body = En annan partner gjorde anspråk på några av samma arbetsbelastningar eller prenumerationer för kunden { $domain }, och efter att ha jämfört båda partnernas bevis på utförande godkände granskaren deras anspråk för:
mail-partly-superseded-keep = Din association behåller anspråkets övriga arbetsbelastningar och prenumerationer.
mail-dispute-opened-subject = Bestridande öppnat: ”{ $claim }”
mail-dispute-opened-body = { $partner } bestrider avvisningen av sitt anspråk ”{ $claim }” för { $domain }.
mail-dispute-opened-details = Vad partnern skriver:
mail-dispute-opened-due = Bestridandet ska vara avgjort senast { $due }.
mail-arbitration-question-subject = En granskare frågar om din association ”{ $claim }”
mail-arbitration-question-body = Ett annat anspråk gäller en del av det som din association ”{ $claim }” för { $domain } innehar. Innan beslutet ber granskaren dig om mer. Din association förblir oförändrad under tiden.
mail-arbitration-question-how = Lägg till dina dokument i anspråket och svara på dess sida.
mail-comment-added-subject = En ny kommentar på ”{ $claim }”
mail-comment-added-body = Det finns en ny kommentar på ärendet ”{ $claim }” för { $domain }.
mail-comment-heading = Kommentar:
mail-taken-over-subject = ”{ $claim }” har tagits över
mail-taken-over-body = En annan granskare har tagit över ärendet ”{ $claim }” för { $domain } från dig. Det ingår inte längre i ditt arbete.
mail-arbitration-opened-subject = ”{ $claim }”: ett skiljeförfarande har öppnats
mail-arbitration-opened-claimant = Ert ärende ”{ $claim }” för { $domain } anger produkter eller abonnemang som en annan partners koppling innehar.
mail-arbitration-opened-claimant-then = En granskare avgör mellan de två; godkänns ert ärende flyttas de nycklarna till det. Ni kan bli ombedda om mer underlag under tiden.
mail-arbitration-opened-holder = En annan partner har gjort anspråk på några av produkterna eller abonnemangen i er koppling ”{ $claim }” för { $domain }.
mail-arbitration-opened-holder-then = En granskare avgör; er koppling förblir som den är under tiden. Ni kan bli ombedda om mer underlag; att svara hjälper er att behålla den.
