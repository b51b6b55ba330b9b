# Operatörens del av ett anspråks sida.
decide-heading = Granskning och beslut
action-start-review = Påbörja granskningen
action-request-info = Begär information
action-approve = Godkänn
action-reject = Avvisa
action-start-dispute = Ta upp bestridandet
action-resolve-dispute = Avgör bestridandet
field-outcome = Utfall
facts-heading = Partner och klientorganisation
fact-partner = Partnerorganisation
fact-domains = Verifierade domäner
fact-subscription = Prenumeration ({ $product })
fact-tenant-unknown = Klientorganisationen finns inte i katalogen.
preview-of = Förhandsvisning av { $name }
notice-start = Granskningen har påbörjats.
notice-request_info = Partnern har ombetts att lämna information.
notice-approve = Anspråket har godkänts; kunden informeras.
notice-reject = Anspråket har avvisats.
notice-dispute_start = Bestridandet behandlas nu.
notice-dispute_resolve = Bestridandet har avgjorts.

# Granskningskön.
review-heading = Granskningskö
review-caption = Skickade anspråk och anspråk under granskning, med den tidigaste tidsgränsen först.
review-empty = Inga anspråk väntar på granskning.
review-show = Visa endast
review-conflict = Konflikt
review-age = Har väntat
review-due = Tidsgräns
review-sla = Servicenivå
sla-breached = Överskriden
sla-due-today = Går ut i dag
sla-on-time = I tid
age-days = { $count ->
    [one] { $count } dag
   *[other] { $count } dagar
}
field-product = Produkt
nav-review = Granskningskö
action-take = Ta hand om
action-take-over = Ta över
reviewer-has = { $name } arbetar med det här anspråket.
notice-take = Du har tagit hand om anspråket.
notice-take_over = Du har tagit över anspråket.
review-who = Granskare
review-mine = Mina
review-unassigned = Inte tilldelat

# Mer av anspråkslistan.
filter-updated-from = Ändrat från och med
filter-updated-to = Ändrat till och med
filter-sort = Ordning
sort-newest = Nyaste först
sort-last_change = Senaste ändring först
sort-name = Efter namn
filter-product = produkt
filter-updated_from = ändrat från och med
filter-updated_to = ändrat till och med

# Skiljeförfarande.
arbitration-heading = Konkurrerande anspråk
arbitration-help = Andra partner vill ha eller har redan en del av det som det här anspråket avser. Jämför deras bevis på utförande (det senaste väger tyngst) innan du beslutar; du kan begära information från vilken som helst av partnerna.
arbitration-holds = har det nu
arbitration-contested = omstridd
arbitration-confirm-legend = Skiljeförfarande
arbitration-confirm = Jag bekräftar att ett godkännande flyttar följande från den andra partnern:
arbitration-loses = { $partner } förlorar { $keys } (anspråket ”{ $claim }”)
mail-digest-subject = { $count ->
    [one] Ett ärende i granskningskön förfaller
   *[other] { $count } ärenden i granskningskön förfaller
}
mail-digest-intro = Ärenden i granskningskön som är försenade eller förfaller före slutet av nästa arbetsdag: { $count }, varav { $breached } försenade.
mail-digest-due = ”{ $claim }” ({ $domain }), förfaller { $due }
mail-digest-breached = ”{ $claim }” ({ $domain }), FÖRSENAT sedan { $due }
mail-digest-opt-out = Du får detta varje arbetsdagsmorgon. Stäng av det på sidan för granskningskön: { $link }
review-digest-on = Varje arbetsdagsmorgon får du ett e-postmeddelande om ärenden som förfaller eller är försenade.
review-digest-off = Ditt dagliga e-postmeddelande om ärenden som förfaller är avstängt.
review-digest-turn-off = Stäng av
review-digest-turn-on = Slå på
