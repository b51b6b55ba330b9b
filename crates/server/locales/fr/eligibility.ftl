# Recherche des gains et de l’éligibilité.
nav-eligibility = Éligibilité
eligibility-heading = Gains et éligibilité
eligibility-help = Recherchez un ID d’abonnement ou un ID de locataire pour voir vos associations qui le concernent : le programme, la phase et les dates de prise en compte.
eligibility-id = ID d’abonnement ou ID de locataire
eligibility-look-up = Rechercher
eligibility-bad-id = Un ID d’abonnement ou de locataire est un GUID, par exemple 72f988bf-86f1-41af-91ab-2d7cd011db47.
eligibility-none = Aucune association ne porte cet ID.
eligibility-what = Charge de travail ou abonnement
eligibility-from = Pris en compte depuis
eligibility-to = Pris en compte jusqu’au
