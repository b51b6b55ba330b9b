# E-mails about claims (src/mail/render.rs). Arguments most messages take: $claim (the
# claim's name), $domain (the customer's domain), $partner (the partner organisation).

mail-no-date = (aucune date fixée)
mail-product-subscription = { $product } (abonnement { $subscription })
mail-claim-link = Demande : { $link }
mail-reviewer-comment = Commentaire du réviseur :
mail-support-comment = Commentaire du support :
mail-footer = Ce message vous a été envoyé par le service de gestion des demandes de l’opérateur du programme (cpor).

mail-consent-request-subject = { $partner } demande à être reconnu comme votre partenaire pour { $domain }
mail-consent-request-greeting = Bonjour { $customer },
mail-consent-request-intro = { $partner } demande à être reconnu comme le partenaire qui a accompagné { $domain } pour :
mail-consent-request-data = Si vous êtes d’accord, vous n’avez rien à faire. À partir du { $window_end }, l’association devient officielle et { $partner } aura accès aux données d’utilisation et de licences de ces charges de travail et abonnements uniquement : ni vos e-mails, ni vos documents, ni aucun autre contenu.
mail-consent-request-opt-out = Pour consulter le détail, ou pour refuser l’association avant le { $window_end }, ouvrez :
mail-consent-request-no-link = (le lien vous parviendra dans un message séparé)
mail-consent-request-later = Vous pourrez aussi refuser l’association plus tard avec le même lien ; l’association prendra alors fin.

mail-information-requested-subject = Action requise sur votre demande « { $claim } »
mail-information-requested-body = Votre demande « { $claim } » pour { $domain } nécessite une action de votre part.
mail-information-requested-reasons = Le réviseur demande : { $reasons }.
mail-information-requested-deadline = Répondez avant le { $due } : ajoutez les éléments manquants et soumettez de nouveau la demande. Sans réponse à cette date, la demande sera rejetée (absence de réponse du partenaire).

mail-response-reminder-subject = Rappel : votre demande « { $claim } » attend une réponse avant le { $due }
mail-response-reminder-body = Votre demande « { $claim } » pour { $domain } attend toujours votre réponse.
mail-response-reminder-reasons = Le réviseur a demandé : { $reasons }.
mail-response-reminder-deadline = Soumettez-la de nouveau avant le { $due }, faute de quoi elle sera rejetée (absence de réponse du partenaire).

mail-approved-subject = Votre demande « { $claim } » est approuvée
mail-approved-body = Votre demande « { $claim } » pour { $domain } est approuvée.
mail-approved-window = Le client en a été informé et peut refuser l’association jusqu’au { $window_end }. Passé ce délai, l’association devient officielle et est transmise pour l’évaluation de l’éligibilité aux incitations.

mail-rejected-subject = Votre demande « { $claim } » est rejetée
mail-rejected-body = Votre demande « { $claim } » pour { $domain } est rejetée.
mail-rejected-reasons = Motifs : { $reasons }.
mail-rejected-dispute = Si vous estimez que cette décision est erronée, vous pouvez la contester dans un délai de { $days } jours.

mail-superseded-subject = Votre association « { $claim } » a pris fin
mail-superseded-body = Votre association « { $claim } » pour { $domain } a pris fin.
mail-superseded-why = Un autre partenaire a revendiqué la même charge de travail ou le même abonnement du client et, après comparaison des preuves d’exécution des deux partenaires, le réviseur a approuvé sa demande.

mail-association-ended-subject = Le client a mis fin à votre association « { $claim } »
mail-association-ended-body = Le client { $domain } a refusé votre association « { $claim } ».
mail-association-ended-done = L’association a pris fin.

mail-dispute-resolved-subject = Votre contestation de « { $claim } » est traitée
mail-dispute-resolved-body = Votre contestation de la demande « { $claim } » pour { $domain } est traitée : { $outcome }.
mail-partly-superseded-subject = Une partie de votre association « { $claim } » est passée à un autre partenaire
mail-partly-superseded-body = Un autre partenaire a revendiqué certaines des mêmes charges de travail ou des mêmes abonnements du client { $domain } et, après comparaison des preuves d’exécution des deux partenaires, le réviseur a approuvé sa demande pour :
mail-partly-superseded-keep = Votre association conserve les autres charges de travail et abonnements de la revendication.
mail-dispute-opened-subject = Contestation ouverte : « { $claim } »
mail-dispute-opened-body = { $partner } conteste le rejet de sa revendication « { $claim } » pour { $domain }.
mail-dispute-opened-details = Ce que dit le partenaire :
mail-dispute-opened-due = La contestation doit être traitée avant le { $due }.
mail-arbitration-question-subject = Un réviseur vous interroge sur votre association « { $claim } »
mail-arbitration-question-body = Une autre revendication porte sur une partie de ce que détient votre association « { $claim } » pour { $domain }. Avant de décider, le réviseur vous demande des compléments. Votre association reste inchangée en attendant.
mail-arbitration-question-how = Ajoutez vos documents à la revendication et répondez sur sa page.
mail-comment-added-subject = Un nouveau commentaire sur « { $claim } »
mail-comment-added-body = Un nouveau commentaire a été ajouté à la demande « { $claim } » pour { $domain }.
mail-comment-heading = Commentaire :
mail-taken-over-subject = « { $claim } » a été reprise
mail-taken-over-body = Un autre réviseur a repris la demande « { $claim } » pour { $domain }. Elle n'est plus dans votre travail.
mail-arbitration-opened-subject = « { $claim } » : un arbitrage est ouvert
mail-arbitration-opened-claimant = Votre demande « { $claim } » pour { $domain } désigne des produits ou abonnements que détient l'association d'un autre partenaire.
mail-arbitration-opened-claimant-then = Un réviseur tranchera entre les deux ; si votre demande est approuvée, ces clés lui reviennent. D'ici là, des preuves supplémentaires peuvent vous être demandées.
mail-arbitration-opened-holder = Un autre partenaire a revendiqué certains produits ou abonnements de votre association « { $claim } » pour { $domain }.
mail-arbitration-opened-holder-then = Un réviseur tranchera ; votre association reste inchangée d'ici là. Des preuves supplémentaires peuvent vous être demandées ; y répondre aide à la conserver.
