# The customer's consent page (src/web/consent.rs, templates/web/consent.html) and the
# customer contact's language in the claim form. Arguments: $partner (the partner
# organisation), $domain (the customer's domain), $window_end (a date and time).

consent-title = Partner association request – { $partner }
consent-heading = { $partner } asks to be recognised as your partner
consent-intro = { $partner } says it helped { $domain } with:
consent-data = Once the association is official, { $partner } sees usage and seat data for these workloads and subscriptions only: no e-mail, documents or other content.
consent-pending = If you agree, there is nothing to do: the association becomes official on { $window_end }.
consent-active = The association is official. You can still end it.
consent-opt-out = Opt out of this association
consent-declined-heading = You have opted out
consent-declined-text = { $partner } is no longer associated with { $domain } for these products. Nothing else changes for you.
consent-dead-heading = This link no longer works
consent-dead-text = The association request this link was about has been declined, has ended or has expired, or the link is incomplete. There is nothing more for you to do.
consent-footer = This page belongs to the program operator's claims service (cpor).

field-customer-contact-language = Customer contact language
field-language = Language
customer-language-default = The partner's language (default)
customer-language-hint = The consent e-mail and the consent page are written to the customer in this language.
