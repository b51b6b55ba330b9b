# File des contestations du support.
nav-disputes = Contestations
disputes-heading = Contestations
disputes-caption = Contestations ouvertes et en cours, la plus ancienne échéance d’abord. Une contestation se traite sur la page de sa revendication.
disputes-empty = Aucune contestation n’est ouverte.
disputes-opened = Ouverte le
dispute-status-open = Ouverte
dispute-status-in_progress = En cours
dispute-status-upheld = Acceptée
dispute-status-denied = Refusée
