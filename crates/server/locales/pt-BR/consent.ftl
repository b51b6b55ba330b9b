# The customer's consent page (src/web/consent.rs, templates/web/consent.html) and the
# customer contact's language in the claim form. Arguments: $partner (the partner
# organisation), $domain (the customer's domain), $window_end (a date and time).

consent-title = Pedido de associação de parceiro – { $partner }
consent-heading = { $partner } pede para ser reconhecido como seu parceiro
consent-intro = { $partner } informa que ajudou { $domain } com:
consent-data = Quando a associação se tornar oficial, { $partner } verá dados de uso e de licenças somente dessas cargas de trabalho e assinaturas: nenhum e-mail, documento ou outro conteúdo.
consent-pending = Se você concordar, não é preciso fazer nada: a associação se torna oficial em { $window_end }.
consent-active = A associação é oficial. Você ainda pode encerrá-la.
consent-opt-out = Recusar esta associação
consent-declined-heading = Você recusou a associação
consent-declined-text = { $partner } não está mais associado a { $domain } para esses produtos. Nada mais muda para você.
consent-dead-heading = Este link não funciona mais
consent-dead-text = O pedido de associação deste link foi recusado, encerrado ou expirou, ou o link está incompleto. Você não precisa fazer mais nada.
consent-footer = Esta página pertence ao serviço de solicitações do operador do programa (cpor).

field-customer-contact-language = Idioma do contato do cliente
field-language = Idioma
customer-language-default = O idioma do parceiro (padrão)
customer-language-hint = O e-mail e a página de consentimento são escritos para o cliente neste idioma.
