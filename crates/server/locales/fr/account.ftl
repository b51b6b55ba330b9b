# Connexion, mots de passe, invitations.
login-heading = Se connecter à cpor
field-email = Adresse e-mail
field-password = Mot de passe
sign-in = Se connecter
forgot-link = Mot de passe oublié ?
login-failed = L’adresse e-mail ou le mot de passe est incorrect.
login-throttled = Trop de tentatives. Patientez quelques minutes, puis réessayez.
notice-password-set = Votre mot de passe est défini. Connectez-vous avec celui-ci.
notice-signed-out = Vous êtes déconnecté, sur tous vos appareils.
notice-reset-sent = Si un compte utilise cette adresse, nous lui avons envoyé un lien pour définir un nouveau mot de passe. Le lien ne fonctionne qu’une fois, pendant une heure.
forgot-heading = Définir un nouveau mot de passe
forgot-text = Indiquez l’adresse e-mail de votre compte. Nous vous enverrons un lien pour définir un nouveau mot de passe.
forgot-send = Envoyer le lien
back-to-sign-in = Retour à la connexion
reset-heading = Définir un nouveau mot de passe
invitation-heading = Bienvenue sur cpor : choisissez votre mot de passe
field-new-password = Nouveau mot de passe
field-confirm-password = Confirmez le nouveau mot de passe
password-rule = Au moins { $min } caractères.
set-password = Définir le mot de passe
password-too-short = Le mot de passe est trop court.
password-too-long = Le mot de passe est trop long.
password-mismatch = Les deux mots de passe sont différents.
link-dead = Ce lien ne fonctionne plus : il a déjà été utilisé ou il a expiré. Demandez-en un nouveau.
mail-reset-subject = Définir un nouveau mot de passe cpor
mail-reset-body =
    Quelqu’un a demandé à définir un nouveau mot de passe pour votre compte cpor.

    Ouvrez ce lien pour le choisir (il ne fonctionne qu’une fois, pendant une heure) :
    { $link }

    Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.
mail-invitation-subject = Votre compte cpor
mail-invitation-body =
    Un compte a été créé pour vous sur cpor, le portail des associations client.

    Ouvrez ce lien pour choisir votre mot de passe (il ne fonctionne qu’une fois, pendant 72 heures) :
    { $link }
