nav-webhooks = Webhooks
webhooks-help = cpor skickar varje händelse du väljer med POST till din URL som JSON, signerad enligt Standard Webhooks: kontrollera huvudet webhook-signature (HMAC-SHA256 av webhook-id, webhook-timestamp och innehållet, med hemligheten) och släng dubbletter efter webhook-id. En misslyckad leverans försöks igen i 24 timmar; en slutpunkt som misslyckas i 24 timmar inaktiveras och du får ett e-postmeddelande.
webhook-secret-shown-once = Kopiera signeringshemligheten nu: den visas bara denna gång.
webhooks-none = Ingen webhook-slutpunkt än.
field-url = URL
field-events = Händelser
field-event-type = Händelse
webhook-state = Läge
webhook-enabled = Aktiverad
webhook-disabled = Inaktiverad: { $why }
webhook-failing-since = Aktiverad, misslyckas sedan { $since }
webhook-disable = Inaktivera
webhook-enable = Aktivera
webhook-remove = Ta bort
webhook-new-heading = Ny slutpunkt
webhook-create = Lägg till slutpunkten
webhook-deliveries = Senaste leveranser
webhook-no-deliveries = Inget har skickats till den här slutpunkten än.
webhook-queued = Köad
webhook-status = Status
webhook-attempts = Försök
webhook-last-answer = Senaste svar
webhook-answer = { $answer } på { $ms } ms
webhook-redeliver = Skicka igen
delivery-pending = Väntar
delivery-delivered = Levererad
delivery-failed = Uppgiven
mail-webhook-disabled-subject = En webhook-slutpunkt i cpor har inaktiverats
mail-webhook-disabled-body =
    Din webhook-slutpunkt { $url } har misslyckats med varje leverans sedan { $since }, så cpor har inaktiverat den.

    Dess meddelanden sparas. När mottagaren fungerar igen, aktivera slutpunkten här så skickas de:
    { $link }
