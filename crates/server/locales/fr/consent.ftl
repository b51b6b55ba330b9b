# The customer's consent page (src/web/consent.rs, templates/web/consent.html) and the
# customer contact's language in the claim form. Arguments: $partner (the partner
# organisation), $domain (the customer's domain), $window_end (a date and time).

consent-title = Demande d’association d’un partenaire – { $partner }
consent-heading = { $partner } demande à être reconnu comme votre partenaire
consent-intro = { $partner } indique avoir accompagné { $domain } pour :
consent-data = Une fois l’association officielle, { $partner } aura accès aux données d’utilisation et de licences de ces charges de travail et abonnements uniquement : ni e-mails, ni documents, ni aucun autre contenu.
consent-pending = Si vous êtes d’accord, vous n’avez rien à faire : l’association deviendra officielle le { $window_end }.
consent-active = L’association est officielle. Vous pouvez encore y mettre fin.
consent-opt-out = Refuser cette association
consent-declined-heading = Vous avez refusé l’association
consent-declined-text = { $partner } n’est plus associé à { $domain } pour ces produits. Rien d’autre ne change pour vous.
consent-dead-heading = Ce lien ne fonctionne plus
consent-dead-text = La demande d’association concernée par ce lien a été refusée, a pris fin ou a expiré, ou bien le lien est incomplet. Vous n’avez plus rien à faire.
consent-footer = Cette page est fournie par le service de gestion des demandes de l’opérateur du programme (cpor).

field-customer-contact-language = Langue du contact client
field-language = Langue
customer-language-default = Langue du partenaire (par défaut)
customer-language-hint = L’e-mail et la page de consentement sont rédigés dans cette langue pour le client.
