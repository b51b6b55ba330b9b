# Commun à toutes les pages : navigation, erreurs, dates.
skip-to-content = Aller au contenu
nav-main = Navigation principale
nav-claims = Associations client
nav-new-claim = Nouvelle association client
nav-keys = Vérification des clés d’association
nav-organisation = Organisation
nav-language = Langue
sign-out = Se déconnecter
footer-times = Les heures sont indiquées dans le fuseau { $zone }.
back-home = Retour à la page d’accueil

datetime = { $day } { $month } { $year }, { $time } ({ $zone })
date = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

role-global_admin = Administrateur général
role-incentives_admin = Administrateur de primes incitatives
role-incentives_user = Utilisateur de primes incitatives
role-billing_admin = Administrateur de la facturation
role-reviewer = Réviseur
role-support_agent = Agent du support
role-program_admin = Administrateur du programme

page-not-found-heading = Page introuvable
page-not-found-text = Il n’y a rien ici, ou vous n’avez pas le droit de le voir.
page-forbidden-heading = Action non autorisée
page-forbidden-text = Votre rôle ne le permet pas.
page-bad-form-heading = Le formulaire n’a pas pu être accepté
page-bad-form-text = Le formulaire a expiré ou a été envoyé depuis un autre site. Revenez en arrière, rechargez la page et réessayez.
page-conflict-heading = Impossible pour le moment
page-conflict-text = La revendication a été modifiée, ou son état actuel ne le permet pas. Revenez en arrière et rechargez-la.
page-unavailable-heading = Service temporairement indisponible
page-unavailable-text = Le service ne parvient pas à joindre sa base de données. Réessayez dans un instant.
page-failed-heading = Une erreur s’est produite
page-failed-text = Elle a été consignée. Réessayez, ou contactez l’opérateur de votre programme si elle se reproduit.
