nav-webhooks = Webhooks
webhooks-help = cpor envoie en POST chaque événement choisi à votre URL, en JSON, signé selon Standard Webhooks : vérifiez l'en-tête webhook-signature (HMAC-SHA256 de webhook-id, webhook-timestamp et du corps, avec le secret) et ignorez les doublons par webhook-id. Une livraison échouée est réessayée pendant 24 heures ; un point de terminaison en échec pendant 24 heures est désactivé et vous êtes prévenu par e-mail.
webhook-secret-shown-once = Copiez ce secret de signature maintenant : il n'est affiché qu'une fois.
webhooks-none = Aucun point de terminaison de webhook pour l'instant.
field-url = URL
field-events = Événements
field-event-type = Événement
webhook-state = État
webhook-enabled = Activé
webhook-disabled = Désactivé : { $why }
webhook-failing-since = Activé, en échec depuis le { $since }
webhook-disable = Désactiver
webhook-enable = Activer
webhook-remove = Supprimer
webhook-new-heading = Nouveau point de terminaison
webhook-create = Ajouter le point de terminaison
webhook-deliveries = Dernières livraisons
webhook-no-deliveries = Rien n'a encore été envoyé à ce point de terminaison.
webhook-queued = En file
webhook-status = Statut
webhook-attempts = Tentatives
webhook-last-answer = Dernière réponse
webhook-answer = { $answer } en { $ms } ms
webhook-redeliver = Renvoyer
delivery-pending = En attente
delivery-delivered = Livré
delivery-failed = Abandonné
mail-webhook-disabled-subject = Un point de terminaison de webhook cpor a été désactivé
mail-webhook-disabled-body =
    Votre point de terminaison { $url } échoue à chaque livraison depuis le { $since } : cpor l'a désactivé.

    Ses messages sont conservés. Quand le récepteur fonctionnera de nouveau, réactivez le point de terminaison ici et ils seront envoyés :
    { $link }
