# Le côté opérateur de la page d’une revendication.
decide-heading = Révision et décisions
action-start-review = Commencer la révision
action-request-info = Demander des informations
action-approve = Approuver
action-reject = Rejeter
action-start-dispute = Prendre en charge la contestation
action-resolve-dispute = Résoudre la contestation
field-outcome = Résultat
facts-heading = Partenaire et locataire
fact-partner = Organisation partenaire
fact-domains = Domaines vérifiés
fact-subscription = Abonnement ({ $product })
fact-tenant-unknown = Le locataire ne figure pas dans l’annuaire.
preview-of = Aperçu de { $name }
notice-start = La révision a commencé.
notice-request_info = Des informations ont été demandées au partenaire.
notice-approve = La revendication a été approuvée ; le client en est informé.
notice-reject = La revendication a été rejetée.
notice-dispute_start = La contestation est maintenant en cours de traitement.
notice-dispute_resolve = La contestation a été résolue.

# La file de révision.
review-heading = File de révision
review-caption = Revendications envoyées et en cours d’évaluation, l’échéance la plus ancienne en premier.
review-empty = Aucune revendication n’attend de révision.
review-show = Afficher uniquement
review-conflict = Conflit
review-age = En attente depuis
review-due = Échéance
review-sla = Niveau de service
sla-breached = Non respecté
sla-due-today = Échéance aujourd’hui
sla-on-time = Dans les délais
age-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
field-product = Produit
nav-review = File de révision
action-take = Prendre en charge
action-take-over = Reprendre
reviewer-has = { $name } traite cette revendication.
notice-take = Vous avez pris en charge la revendication.
notice-take_over = Vous avez repris la revendication.
review-who = Réviseur
review-mine = Les miennes
review-unassigned = Non prise en charge

# Suite de la liste des revendications.
filter-updated-from = Modifiée à partir du
filter-updated-to = Modifiée jusqu’au
filter-sort = Tri
sort-newest = Les plus récentes en premier
sort-last_change = Dernière modification en premier
sort-name = Par nom
filter-product = produit
filter-updated_from = modifiée à partir du
filter-updated_to = modifiée jusqu’au

# Arbitrage.
arbitration-heading = Revendications concurrentes
arbitration-help = D’autres partenaires demandent ou détiennent une partie de ce que désigne cette revendication. Comparez leurs preuves d’exécution (la plus récente compte le plus) avant de décider ; vous pouvez demander des informations à l’un ou l’autre partenaire.
arbitration-holds = détient actuellement
arbitration-contested = contesté
arbitration-confirm-legend = Arbitrage
arbitration-confirm = Je confirme que l’approbation retire les éléments suivants à l’autre partenaire :
arbitration-loses = { $partner } perd { $keys } (revendication « { $claim } »)
mail-digest-subject = { $count ->
    [one] Une demande de la file de revue arrive à échéance
   *[other] { $count } demandes de la file de revue arrivent à échéance
}
mail-digest-intro = Demandes de la file de revue en retard ou dues d'ici la fin du prochain jour ouvré : { $count }, dont { $breached } en retard.
mail-digest-due = « { $claim } » ({ $domain }), échéance { $due }
mail-digest-breached = « { $claim } » ({ $domain }), EN RETARD depuis { $due }
mail-digest-opt-out = Vous recevez ce message chaque matin ouvré. Désactivez-le sur la page de la file de revue : { $link }
review-digest-on = Chaque matin ouvré, vous recevez un e-mail des demandes à échéance ou en retard.
review-digest-off = Votre e-mail quotidien des demandes à échéance est désactivé.
review-digest-turn-off = Le désactiver
review-digest-turn-on = L'activer
