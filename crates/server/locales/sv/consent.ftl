# The customer's consent page (src/web/consent.rs, templates/web/consent.html) and the
# customer contact's language in the claim form. Arguments: $partner (the partner
# organisation), $domain (the customer's domain), $window_end (a date and time).

consent-title = Begäran om partnerassociation – { $partner }
consent-heading = { $partner } vill bli erkänd som er partner
consent-intro = { $partner } uppger att de har hjälpt { $domain } med:
consent-data = När associationen är officiell ser { $partner } användnings- och licensdata för enbart dessa arbetsbelastningar och prenumerationer: ingen e-post, inga dokument och inget annat innehåll.
consent-pending = Om ni godkänner behöver ni inte göra något: associationen blir officiell { $window_end }.
consent-active = Associationen är officiell. Ni kan fortfarande avsluta den.
consent-opt-out = Avanmäl er från den här associationen
consent-declined-heading = Ni har avanmält er
consent-declined-text = { $partner } är inte längre associerad med { $domain } för dessa produkter. Inget annat ändras för er.
consent-dead-heading = Den här länken fungerar inte längre
consent-dead-text = Begäran om association som länken gällde har avböjts, avslutats eller löpt ut, eller så är länken ofullständig. Ni behöver inte göra något mer.
consent-footer = Den här sidan tillhör programoperatörens ärendetjänst (cpor).

field-customer-contact-language = Kundkontaktens språk
field-language = Språk
customer-language-default = Partnerns språk (standard)
customer-language-hint = Samtyckesmejlet och samtyckessidan skrivs till kunden på det här språket.
